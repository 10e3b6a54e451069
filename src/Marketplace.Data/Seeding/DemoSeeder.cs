using Dapper;
using Marketplace.Core.Accounts;
using Marketplace.Core.Challenges;
using Marketplace.Core.Organisations;
using Marketplace.Core.Vendors;
using Marketplace.Core.Application;
using Marketplace.Core.Features.Accounts;
using Marketplace.Data.Challenges;
using Marketplace.Data.Organisations;
using Marketplace.Data.Vendors;
using Microsoft.AspNetCore.Identity;

namespace Marketplace.Data.Seeding;

/// <summary>A sign-in the console prints after seeding, so a visitor can try each role.</summary>
public sealed record DemoSignIn(string Role, string Email, string Description);

public sealed record SeedResult(bool Seeded, string Summary, IReadOnlyList<DemoSignIn> SignIns);

/// <summary>
/// Loads seeds/demo into a database. It refuses a database that holds anything but demo data, and it is
/// idempotent: every record is keyed (organisation slug, challenge slug, user e-mail), so a second run, or a
/// run after an interrupted one, adds only what is missing.
/// </summary>
public sealed class DemoSeeder(
    DbConnectionFactory connections,
    OrganisationStore organisations,
    ChallengeStore challenges,
    VendorStore vendors,
    UserManager<AppUser> users,
    UseCaseRunner runner,
    AddUser addUser,
    TimeProvider clock,
    Email.EmailSettings? emailSettings = null)
{
    /// <summary>
    /// A password for the demo accounts when none is configured (Marketplace:DemoPassword, --password): random, printed
    /// once when the accounts are made. No password lives in the code (issue #12).
    /// </summary>
    public static string NewPassword() => "Demo#" + Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8)) + "x";

    /// <summary>Seeds only when the database has no organisations yet (the app's first start).</summary>
    public async Task<SeedResult> SeedIfEmptyAsync(string folder, string password, CancellationToken cancellationToken = default)
    {
        var data = DemoSeedData.Load(folder);
        await using (var connection = await connections.OpenAsync(cancellationToken))
        {
            var count = await connection.ExecuteScalarAsync<int>(new CommandDefinition("SELECT COUNT(*) FROM organisations", cancellationToken: cancellationToken));
            if (count > 0)
            {
                var signIns = await AllDemoKeysPresentAsync(data, cancellationToken) ? SignInsFor(data) : [];
                return new SeedResult(false, "the database already has data", signIns);
            }
        }

        return await SeedAsync(data, password, cancellationToken);
    }

    /// <summary>Seeds what is missing; refuses when the database holds organisations that are not demo data.</summary>
    public async Task<SeedResult> SeedAsync(DemoSeedData data, string password, CancellationToken cancellationToken = default)
    {
        var demoSlugs = DemoSlugs(data);
        await using (var connection = await connections.OpenAsync(cancellationToken))
        {
            var existing = (await connection.QueryAsync<string>(new CommandDefinition("SELECT slug FROM organisations", cancellationToken: cancellationToken))).ToList();
            var foreign = existing.Where(slug => !demoSlugs.Contains(slug)).Take(3).ToList();
            if (foreign.Count > 0)
            {
                throw new SeedDataException(
                    $"This database already holds organisations that are not demo data ({string.Join(", ", foreign)}…). Demo data is only loaded into an empty database.");
            }
        }

        var counts = new SeedCounts();
        await EnsureOrganisationAsync(new NewOrganisation(
            data.Programme.Office.Key, OrganisationKind.ProgrammeOffice, data.Programme.Office.Name, data.Programme.Office.NameEn,
            City: data.Programme.Office.City, Description: data.Programme.Office.Description), counts, cancellationToken);
        foreach (var admin in data.Programme.Admins)
        {
            await EnsureUserAsync(admin, Roles.Admin, data.Programme.Office.Key, password, counts, cancellationToken);
        }

        foreach (var officer in data.Programme.Officers)
        {
            await EnsureUserAsync(officer, Roles.Officer, data.Programme.Office.Key, password, counts, cancellationToken);
        }

        foreach (var reviewer in data.Programme.Reviewers)
        {
            var userId = await EnsureUserAsync(new SeedContact(reviewer.Name, reviewer.Email), Roles.Reviewer, organisationSlug: null, password, counts, cancellationToken);
            await EnsureReviewerProfileAsync(userId, reviewer, cancellationToken);
        }

        var enterpriseIds = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var enterprise in data.Enterprises)
        {
            var id = await EnsureOrganisationAsync(new NewOrganisation(
                enterprise.Key, OrganisationKind.Enterprise, enterprise.Name, enterprise.NameEn, enterprise.Industry, enterprise.City,
                enterprise.Headcount, Description: enterprise.Description), counts, cancellationToken);
            enterpriseIds[enterprise.Key] = id;
            await EnsureUserAsync(enterprise.Contact, Roles.Enterprise, enterprise.Key, password, counts, cancellationToken);
        }

        var now = clock.GetUtcNow();
        for (var index = 0; index < data.Challenges.Count; index++)
        {
            if (data.StoryChallengeKeys.Contains(data.Challenges[index].Key))
            {
                continue; // played from draft on by the story, below
            }

            await EnsureChallengeAsync(data.Challenges[index], enterpriseIds[data.Challenges[index].Enterprise], index, now, counts, cancellationToken);
        }

        foreach (var vendor in data.Vendors)
        {
            await EnsureVendorAsync(vendor, password, counts, cancellationToken);
        }

        // The story runs last: its chapters need the vendors, reviewers and officers above.
        var storyTime = System.Diagnostics.Stopwatch.StartNew();
        await using (var story = new DemoStory(connections, now, emailSettings))
        {
            counts.Chapters = await story.PlayAsync(data, cancellationToken);
        }

        storyTime.Stop();

        var summary = $"{counts.Organisations} organisations, {counts.Users} users, {counts.Challenges} challenges, {counts.Cases} portfolio cases added, {counts.Chapters} story chapters played (story: {storyTime.Elapsed.TotalSeconds:0.0} s)";
        return new SeedResult(counts.Total > 0, summary, SignInsFor(data));
    }

    private static HashSet<string> DemoSlugs(DemoSeedData data) =>
        [data.Programme.Office.Key, .. data.Enterprises.Select(e => e.Key), .. data.Vendors.Select(v => v.Key)];

    private async Task<bool> AllDemoKeysPresentAsync(DemoSeedData data, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var present = await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT COUNT(*) FROM organisations WHERE slug = @Slug", new { Slug = data.Programme.Office.Key }, cancellationToken: cancellationToken));
        return present > 0;
    }

    private static List<DemoSignIn> SignInsFor(DemoSeedData data)
    {
        var list = new List<DemoSignIn>();
        list.AddRange(data.Programme.Admins.Take(1).Select(a => new DemoSignIn(Roles.Admin, a.Email, "platform administrator")));
        list.AddRange(data.Programme.Officers.Take(1).Select(o => new DemoSignIn(Roles.Officer, o.Email, data.Programme.Office.Name)));
        list.AddRange(data.Programme.Reviewers.Take(1).Select(r => new DemoSignIn(Roles.Reviewer, r.Email, r.Name)));
        list.AddRange(data.Enterprises.Take(2).Select(e => new DemoSignIn(Roles.Enterprise, e.Contact.Email, e.Name)));
        list.AddRange(data.Vendors.Take(2).Select(v => new DemoSignIn(Roles.Vendor, v.Contact.Email, v.Name)));
        return list;
    }

    private async Task<long> EnsureOrganisationAsync(NewOrganisation organisation, SeedCounts counts, CancellationToken cancellationToken)
    {
        var existing = await organisations.FindBySlugAsync(organisation.Slug, cancellationToken);
        if (existing is not null)
        {
            return existing.Id;
        }

        await using var connection = await connections.OpenAsync(cancellationToken);
        counts.Organisations++;
        return await organisations.CreateAsync(connection, null, organisation, cancellationToken);
    }

    /// <summary>
    /// Creates the user through the same handler as `marketplace user add` (Identity hashing, role and membership
    /// in one transaction); an existing e-mail is left as it is.
    /// </summary>
    private async Task<long> EnsureUserAsync(SeedContact contact, string role, string? organisationSlug, string password, SeedCounts counts, CancellationToken cancellationToken)
    {
        var existing = await users.FindByEmailAsync(contact.Email);
        if (existing is not null)
        {
            return existing.Id;
        }

        var result = await runner.RunAsync(addUser, null, new AddUserRequest
        {
            Email = contact.Email,
            Role = role,
            OrganisationSlug = organisationSlug,
            Password = password,
            DisplayName = contact.Name,
            IsOwner = organisationSlug is not null,
            PreferredLanguage = IsChinese(contact.Name) ? "zh-CN" : "en",
        }, cancellationToken);
        if (!result.IsSuccess)
        {
            throw new SeedDataException($"Could not create demo user {contact.Email}: {result.Error!.Message}");
        }

        counts.Users++;
        return result.Value!.UserId;
    }

    private async Task EnsureReviewerProfileAsync(long userId, SeedReviewer reviewer, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var exists = await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT COUNT(*) FROM reviewer_profiles WHERE user_id = @UserId", new { UserId = userId }, cancellationToken: cancellationToken));
        if (exists == 0)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO reviewer_profiles (user_id, expertise, tags, updated_at) VALUES (@UserId, @Expertise, @Tags, @Now)",
                new { UserId = userId, reviewer.Expertise, Tags = string.Join(' ', reviewer.Tags ?? []), Now = clock.GetUtcNow() },
                cancellationToken: cancellationToken));
        }
    }

    private async Task EnsureChallengeAsync(SeedChallenge seed, long enterpriseId, int index, DateTimeOffset now, SeedCounts counts, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var exists = await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT COUNT(*) FROM challenges WHERE slug = @Slug", new { Slug = seed.Key }, cancellationToken: cancellationToken));
        if (exists > 0)
        {
            return;
        }

        // Deadlines are relative to the moment of seeding so the demo always shows open challenges; they fall
        // at 17:00 China time (09:00 UTC), as programme deadlines do.
        var deadline = new DateTimeOffset(now.UtcDateTime.Date.AddDays(seed.DeadlineInDays).AddHours(9), TimeSpan.Zero);
        var published = seed.Status == "closed" ? deadline.AddDays(-45) : now.AddDays(-(3 + (index * 7 % 28)));
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await challenges.CreateAsync(connection, transaction, new NewChallenge
        {
            Slug = seed.Key,
            EnterpriseId = enterpriseId,
            Language = seed.Language,
            Title = seed.Title,
            Industry = seed.Industry,
            Scenario = seed.Scenario,
            CurrentProcess = seed.CurrentProcess,
            DataAvailable = seed.DataAvailable,
            Constraints = seed.Constraints,
            ExpectedOutcome = seed.ExpectedOutcome,
            TargetTrl = seed.TargetTrl,
            Budget = seed.Budget is null ? null : new Money(seed.Budget.Amount, seed.Budget.Currency),
            DeadlineAt = deadline,
            Status = seed.Status == "closed" ? ChallengeStatus.Closed : ChallengeStatus.Published,
            Visibility = seed.Visibility,
            PublishedAt = published,
            AcceptanceTargets = (seed.AcceptanceTargets ?? []).Select(t => new AcceptanceTarget(t.Metric, t.Threshold, t.TestMethod)).ToList(),
            Tags = seed.Tags ?? [],
        }, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        counts.Challenges++;
    }

    private async Task EnsureVendorAsync(SeedVendor seed, string password, SeedCounts counts, CancellationToken cancellationToken)
    {
        if (await organisations.FindBySlugAsync(seed.Key, cancellationToken) is null)
        {
            await using var connection = await connections.OpenAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            var id = await organisations.CreateAsync(connection, transaction, new NewOrganisation(
                seed.Key, OrganisationKind.Vendor, seed.Name, seed.NameEn, City: seed.City, Headcount: seed.Headcount,
                FoundedYear: seed.Founded, Website: seed.Website), cancellationToken);
            await vendors.SaveProfileAsync(connection, transaction, new VendorProfileUpdate(
                id, seed.Language, seed.Summary, seed.MaxTrlDelivered, seed.Capabilities ?? [], seed.Industries ?? []), cancellationToken);
            foreach (var portfolioCase in seed.Cases ?? [])
            {
                await vendors.AddCaseAsync(connection, transaction, new NewPortfolioCase(
                    id, portfolioCase.Title, portfolioCase.Client, portfolioCase.Industry, portfolioCase.Year, portfolioCase.Text,
                    portfolioCase.Outcome, portfolioCase.Trl), cancellationToken);
                counts.Cases++;
            }

            await transaction.CommitAsync(cancellationToken);
            counts.Organisations++;
        }

        await EnsureUserAsync(seed.Contact, Roles.Vendor, seed.Key, password, counts, cancellationToken);
    }

    private static bool IsChinese(string text) => text.Any(ch => ch is >= '\u4e00' and <= '\u9fff');

    private sealed class SeedCounts
    {
        public int Organisations { get; set; }
        public int Users { get; set; }
        public int Challenges { get; set; }
        public int Cases { get; set; }
        public int Chapters { get; set; }
        public int Total => Organisations + Users + Challenges + Cases + Chapters;
    }
}
