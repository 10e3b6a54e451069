using Marketplace.Core.Challenges;

namespace Marketplace.Core.Tests.Challenges;

public sealed class ChallengeDraftRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 8, 0, 0, TimeSpan.Zero);

    private static readonly string[] ExpectedBadFields =
        ["acceptanceTargets[0].testMethod", "acceptanceTargets[0].threshold", "attachmentLinks", "budgetAmount", "budgetCurrency", "deadlineAt", "industry", "language", "tags", "targetTrl", "visibility"];

    private static ChallengeDraft Valid() => new()
    {
        Title = "  Weld-seam defect detection  ",
        Industry = "machinery",
        Scenario = "Robot welding cells; seams inspected by eye.",
        AcceptanceTargets = [new AcceptanceTargetInput { Metric = "Recall", Threshold = "≥ 98%", TestMethod = "2,000 held-out images" }, new AcceptanceTargetInput()],
        TargetTrl = 7,
        BudgetAmount = 800_000m,
        DeadlineAt = Now.AddDays(30),
        Language = "en",
        Tags = ["computer-vision", "defect-detection"],
        AttachmentLinks = ["https://files.example.cn/spec.pdf"],
    };

    [Fact]
    public void AValidDraft_IsTrimmed_AndGetsDefaults()
    {
        var result = ChallengeDraftRules.Validate(Valid(), Now);

        Assert.True(result.IsSuccess, result.Error?.Message);
        Assert.Equal("Weld-seam defect detection", result.Value!.Title);
        Assert.Equal(new Money(800_000m, "CNY"), result.Value.Budget);
        Assert.Equal("public", result.Value.Visibility);
        Assert.Single(result.Value.AcceptanceTargets);
    }

    [Fact]
    public void AnEmptyDraft_NamesEveryMissingField()
    {
        var result = ChallengeDraftRules.Validate(new ChallengeDraft(), Now);

        var fields = result.Error!.FieldErrors!.Keys.ToHashSet();
        Assert.Superset(new HashSet<string> { "title", "industry", "scenario", "acceptanceTargets", "targetTrl", "deadlineAt", "language" }, fields);
    }

    [Fact]
    public void BadValues_AreReportedPerField()
    {
        var draft = Valid() with
        {
            Industry = "mining",
            TargetTrl = 10,
            BudgetAmount = -5,
            BudgetCurrency = "yuan",
            DeadlineAt = Now.AddMinutes(-1),
            Language = "de",
            Visibility = "secret",
            Tags = ["not-a-tag"],
            AttachmentLinks = ["ftp://files.example.cn/a.zip"],
            AcceptanceTargets = [new AcceptanceTargetInput { Metric = "Recall" }],
        };

        var errors = ChallengeDraftRules.Validate(draft, Now).Error!.FieldErrors!;

        Assert.Equal(ExpectedBadFields, errors.Keys.Order(StringComparer.Ordinal).ToArray());
    }

    [Theory]
    [InlineData("https://pan.example.cn/s/abc", true)]
    [InlineData("http://10.0.0.5/drawings.pdf", true)]
    [InlineData("javascript:alert(1)", false)]
    [InlineData("file:///etc/passwd", false)]
    [InlineData("pan.example.cn/s/abc", false)]
    public void AttachmentLinks_MustBeHttpOrHttps(string link, bool valid)
    {
        Assert.Equal(valid, ChallengeDraftRules.IsWebLink(link));
    }
}
