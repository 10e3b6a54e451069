using Marketplace.Core.Challenges;
using Marketplace.Core.Common;
using Marketplace.Data.Challenges;
using Marketplace.Testing;

namespace Marketplace.Data.Tests.Stores;

public sealed class ChallengeStoreTests
{
    private static readonly PageRequest FirstPage = new(1, 50);

    [Theory, OnEngine(TestEngines.Sqlite), OnEngine(TestEngines.Postgres), OnEngine(TestEngines.SqlServer)]
    public async Task FindAsync_ReturnsEverythingThatWasWritten(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        var data = new TestData(database);
        var enterprise = await data.OrganisationAsync(name: "恒泰钢铁");
        var deadline = new DateTimeOffset(2031, 3, 4, 9, 0, 0, TimeSpan.Zero);
        var id = await data.ChallengeAsync(enterprise, c => c with
        {
            Title = "冷轧带钢表面缺陷检测",
            Language = "zh",
            Budget = new Money(1_234_567.89m, "EUR"),
            DeadlineAt = deadline,
            Tags = ["defect-detection", "computer-vision"],
            AcceptanceTargets = [new AcceptanceTarget("检出率", "≥ 98%", "2,000 张留出图像"), new AcceptanceTarget("误报率", "≤ 1%", "同上")],
        });

        var found = await data.Challenges.FindAsync(id, CancellationToken.None);

        Assert.NotNull(found);
        Assert.Equal("冷轧带钢表面缺陷检测", found.Title);
        Assert.Equal("恒泰钢铁", found.EnterpriseName);
        Assert.Equal(1_234_567.89m, found.BudgetAmount);
        Assert.Equal("EUR", found.BudgetCurrency.Trim());
        Assert.Equal(deadline, found.DeadlineAt);
        Assert.Equal(TimeSpan.Zero, found.DeadlineAt.Offset);
        Assert.Equal(["computer-vision", "defect-detection"], found.Tags);
        Assert.Equal(["检出率", "误报率"], found.AcceptanceTargets.Select(t => t.Metric));
        Assert.Null(await data.Challenges.FindAsync(id + 1000, CancellationToken.None));
    }

    [Theory, OnEngine(TestEngines.Sqlite), OnEngine(TestEngines.Postgres), OnEngine(TestEngines.SqlServer)]
    public async Task SearchPublic_ListsOnlyPublishedOrLaterStates(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        var data = new TestData(database);
        var enterprise = await data.OrganisationAsync();
        await data.ChallengeAsync(enterprise, c => c with { Title = "Visible", Status = ChallengeStatus.Published });
        await data.ChallengeAsync(enterprise, c => c with { Title = "Closed record", Status = ChallengeStatus.Closed, DeadlineAt = DateTimeOffset.UtcNow.AddDays(-3) });
        await data.ChallengeAsync(enterprise, c => c with { Title = "Draft", Status = ChallengeStatus.Draft, PublishedAt = null });
        await data.ChallengeAsync(enterprise, c => c with { Title = "Screening", Status = ChallengeStatus.Submitted, PublishedAt = null });

        var all = await data.Challenges.SearchPublicAsync(new ChallengeSearch(), ChallengeSort.Newest, FirstPage, CancellationToken.None);
        var open = await data.Challenges.SearchPublicAsync(new ChallengeSearch { OpenOnly = true }, ChallengeSort.Newest, FirstPage, CancellationToken.None);

        Assert.Equal(["Closed record", "Visible"], all.Items.Select(i => i.Title).Order());
        Assert.Equal(["Visible"], open.Items.Select(i => i.Title));
    }

    [Theory, OnEngine(TestEngines.Sqlite), OnEngine(TestEngines.Postgres), OnEngine(TestEngines.SqlServer)]
    public async Task SearchPublic_FiltersByTextIndustryLanguageAndTag(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        var data = new TestData(database);
        var enterprise = await data.OrganisationAsync();
        await data.ChallengeAsync(enterprise, c => c with { Title = "注塑件缩痕检测", Language = "zh", Industry = "machinery", Tags = ["defect-detection"] });
        await data.ChallengeAsync(enterprise, c => c with { Title = "Gearbox Vibration Monitoring", Industry = "energy", Tags = ["predictive-maintenance"] });
        await data.ChallengeAsync(enterprise, c => c with { Title = "Cold chain routes", Industry = "logistics", Scenario = "Refrigerated trucks 100% on time", Tags = ["route-optimization"] });

        async Task<IEnumerable<string>> Titles(ChallengeSearch search) =>
            (await data.Challenges.SearchPublicAsync(search, ChallengeSort.Newest, FirstPage, CancellationToken.None)).Items.Select(i => i.Title);

        Assert.Equal(["注塑件缩痕检测"], await Titles(new ChallengeSearch { Text = "缩痕" }));
        Assert.Equal(["Gearbox Vibration Monitoring"], await Titles(new ChallengeSearch { Text = "gearbox vibration" }));
        Assert.Equal(["Cold chain routes"], await Titles(new ChallengeSearch { Text = "100%" }));
        Assert.Empty(await Titles(new ChallengeSearch { Text = "%" + "_" }));
        Assert.Equal(["Gearbox Vibration Monitoring"], await Titles(new ChallengeSearch { Industry = "energy" }));
        Assert.Equal(["注塑件缩痕检测"], await Titles(new ChallengeSearch { Language = "zh" }));
        Assert.Equal(["Cold chain routes"], await Titles(new ChallengeSearch { Tag = "route-optimization" }));
        Assert.Equal(["Cold chain routes"], await Titles(new ChallengeSearch { Text = "route-optimization" }));
    }

    [Theory, OnEngine(TestEngines.Sqlite), OnEngine(TestEngines.Postgres), OnEngine(TestEngines.SqlServer)]
    public async Task SearchPublic_FindsTheOtherLanguageAndTagsByTheirNames(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        var data = new TestData(database);
        var enterprise = await data.OrganisationAsync();
        await data.ChallengeAsync(enterprise, c => c with { Title = "螺旋焊管焊缝X射线缺陷评判", Language = "zh", Scenario = "焊缝X射线实时成像", Tags = ["defect-detection"] });
        await data.ChallengeAsync(enterprise, c => c with { Title = "Weld seam inspection on robot cells", Scenario = "Robot welding cells", Tags = ["computer-vision"] });
        await data.ChallengeAsync(enterprise, c => c with { Title = "铝压铸件内部气孔检测", Language = "zh", Scenario = "压铸件气孔", Tags = ["computer-vision", "defect-detection"] });
        await data.ChallengeAsync(enterprise, c => c with { Title = "Cold chain routes", Scenario = "Refrigerated trucks", Tags = ["route-optimization"] });

        async Task<IEnumerable<string>> Titles(string text) =>
            (await data.Challenges.SearchPublicAsync(new ChallengeSearch { Text = text }, ChallengeSort.Newest, FirstPage, CancellationToken.None)).Items.Select(i => i.Title).Order();

        // English finds Chinese and the reverse, through the term list; a tag's display name finds its challenges.
        Assert.Equal(["Weld seam inspection on robot cells", "螺旋焊管焊缝X射线缺陷评判"], await Titles("weld"));
        Assert.Equal(["Weld seam inspection on robot cells", "螺旋焊管焊缝X射线缺陷评判"], await Titles("焊缝"));
        Assert.Equal(["Weld seam inspection on robot cells", "铝压铸件内部气孔检测"], await Titles("机器视觉"));
        Assert.Equal(["螺旋焊管焊缝X射线缺陷评判"], await Titles("weld X-ray"));
        Assert.Equal(["铝压铸件内部气孔检测"], await Titles("die casting"));
        Assert.Equal(["Cold chain routes"], await Titles("路径优化"));
        // A word that names no concept is searched as typed.
        Assert.Equal(["Cold chain routes"], await Titles("refrigerated"));
    }

    [Theory, OnEngine(TestEngines.Sqlite), OnEngine(TestEngines.Postgres), OnEngine(TestEngines.SqlServer)]
    public async Task SearchPublic_ByRelevance_PutsTheTitleMatchBeforeAMentionInTheScenario(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        var data = new TestData(database);
        var enterprise = await data.OrganisationAsync();
        await data.ChallengeAsync(enterprise, c => c with { Title = "Weld seam inspection", Scenario = "Robot cells.", PublishedAt = DateTimeOffset.UtcNow.AddDays(-2) });
        // Published later, so "newest" lists it first.
        await data.ChallengeAsync(enterprise, c => c with { Title = "Paint shop energy", Scenario = "Ovens; the weld shop next door shares the compressors.", PublishedAt = DateTimeOffset.UtcNow.AddDays(-1) });

        async Task<IEnumerable<string>> Titles(ChallengeSort sort) =>
            (await data.Challenges.SearchPublicAsync(new ChallengeSearch { Text = "weld" }, sort, FirstPage, CancellationToken.None)).Items.Select(i => i.Title);

        Assert.Equal(["Paint shop energy", "Weld seam inspection"], await Titles(ChallengeSort.Newest));
        Assert.Equal(["Weld seam inspection", "Paint shop energy"], await Titles(ChallengeSort.Relevance));
    }

    [Theory, OnEngine(TestEngines.Sqlite), OnEngine(TestEngines.Postgres), OnEngine(TestEngines.SqlServer)]
    public async Task SearchPublic_FiltersByBudgetInOneCurrency_AndByDeadline(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        var data = new TestData(database);
        var enterprise = await data.OrganisationAsync();
        var now = DateTimeOffset.UtcNow;
        await data.ChallengeAsync(enterprise, c => c with { Title = "Small", Budget = new Money(200_000m), DeadlineAt = now.AddDays(5) });
        await data.ChallengeAsync(enterprise, c => c with { Title = "Large", Budget = new Money(2_000_000.50m), DeadlineAt = now.AddDays(50) });
        await data.ChallengeAsync(enterprise, c => c with { Title = "Dollars", Budget = new Money(300_000m, "USD"), DeadlineAt = now.AddDays(20) });
        await data.ChallengeAsync(enterprise, c => c with { Title = "Unpriced", Budget = null, DeadlineAt = now.AddDays(20) });

        async Task<IEnumerable<string>> Titles(ChallengeSearch search) =>
            (await data.Challenges.SearchPublicAsync(search, ChallengeSort.Newest, FirstPage, CancellationToken.None)).Items.Select(i => i.Title).Order();

        Assert.Equal(["Large"], await Titles(new ChallengeSearch { BudgetMin = 2_000_000.50m }));
        Assert.Equal(["Small"], await Titles(new ChallengeSearch { BudgetMax = 2_000_000.49m }));
        Assert.Equal(["Dollars"], await Titles(new ChallengeSearch { BudgetMin = 0m, BudgetCurrency = "USD" }));
        Assert.Equal(["Dollars", "Small", "Unpriced"], await Titles(new ChallengeSearch { DeadlineBefore = now.AddDays(21) }));
    }

    [Theory, OnEngine(TestEngines.Sqlite), OnEngine(TestEngines.Postgres), OnEngine(TestEngines.SqlServer)]
    public async Task SearchPublic_NeverRevealsAConfidentialScenario(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        var data = new TestData(database);
        var enterprise = await data.OrganisationAsync();
        await data.ChallengeAsync(enterprise, c => c with { Title = "Secret furnace", Visibility = "confidential", Scenario = "furnace number three silicon" });

        var list = await data.Challenges.SearchPublicAsync(new ChallengeSearch(), ChallengeSort.Newest, FirstPage, CancellationToken.None);
        var byScenarioText = await data.Challenges.SearchPublicAsync(new ChallengeSearch { Text = "silicon" }, ChallengeSort.Newest, FirstPage, CancellationToken.None);

        Assert.Equal("", Assert.Single(list.Items).Teaser);
        Assert.Empty(byScenarioText.Items);
    }

    [Theory, OnEngine(TestEngines.Sqlite), OnEngine(TestEngines.Postgres), OnEngine(TestEngines.SqlServer)]
    public async Task SearchPublic_PagesAreStableAndComplete_EvenWhenSortKeysTie(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        var data = new TestData(database);
        var enterprise = await data.OrganisationAsync();
        var sameTime = DateTimeOffset.UtcNow.AddDays(-1);
        var ids = new List<long>();
        for (var i = 0; i < 7; i++)
        {
            ids.Add(await data.ChallengeAsync(enterprise, c => c with { PublishedAt = sameTime, DeadlineAt = sameTime.AddDays(20), Budget = new Money(5m) }));
        }

        foreach (var sort in Enum.GetValues<ChallengeSort>())
        {
            var seen = new List<long>();
            for (var page = 1; page <= 3; page++)
            {
                var result = await data.Challenges.SearchPublicAsync(new ChallengeSearch(), sort, new PageRequest(page, 3), CancellationToken.None);
                Assert.Equal(7, result.Total);
                seen.AddRange(result.Items.Select(i => i.Id));
            }

            Assert.Equal(ids.Order(), seen.Order());
        }
    }
}
