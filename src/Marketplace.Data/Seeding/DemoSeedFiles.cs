using System.Text.Json;
using System.Text.Json.Serialization;

namespace Marketplace.Data.Seeding;

// The shapes of the files in seeds/demo (documented in docs/seeds.md).

public sealed record SeedContact(string Name, string Email);

public sealed record SeedEnterprise(
    string Key, string Name, string? NameEn, string Industry, string? City, int? Headcount, string? Description, SeedContact Contact);

public sealed record SeedTarget(string Metric, string Threshold, string TestMethod);

public sealed record SeedBudget(decimal Amount, string Currency);

public sealed record SeedChallenge(
    string Key, string Enterprise, string Language, string Title, string Industry, string Scenario,
    string? CurrentProcess, string? DataAvailable, string? Constraints, IReadOnlyList<SeedTarget>? AcceptanceTargets,
    string? ExpectedOutcome, int TargetTrl, SeedBudget? Budget, int DeadlineInDays, string Status, string Visibility,
    IReadOnlyList<string>? Tags);

public sealed record SeedCase(string Title, string? Client, string? Industry, int? Year, string Text, string? Outcome, int? Trl);

public sealed record SeedVendor(
    string Key, string Name, string? NameEn, string Language, string? City, int? Founded, int? Headcount, string? Website,
    string Summary, IReadOnlyList<string>? Capabilities, IReadOnlyList<string>? Industries, int? MaxTrlDelivered,
    SeedContact Contact, IReadOnlyList<SeedCase>? Cases);

public sealed record SeedOffice(string Key, string Name, string? NameEn, string? City, string? Description);

public sealed record SeedReviewer(string Name, string Email, string Expertise, IReadOnlyList<string>? Tags);

public sealed record SeedProgramme(SeedOffice Office, IReadOnlyList<SeedContact> Officers, IReadOnlyList<SeedReviewer> Reviewers, IReadOnlyList<SeedContact> Admins);

/// <summary>All demo files read and checked together, so a broken file is reported before anything is written.</summary>
public sealed record DemoSeedData(
    SeedProgramme Programme, IReadOnlyList<SeedEnterprise> Enterprises, IReadOnlyList<SeedChallenge> Challenges, IReadOnlyList<SeedVendor> Vendors,
    SeedStory? Story = null)
{
    /// <summary>The challenges the story plays through the use cases (from draft on) instead of loading them as published rows.</summary>
    public IReadOnlySet<string> StoryChallengeKeys { get; } = (Story?.Chapters ?? []).Select(c => c.Challenge).ToHashSet(StringComparer.Ordinal);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
    };

    public static DemoSeedData Load(string folder)
    {
        if (!Directory.Exists(folder))
        {
            throw new SeedDataException($"The demo seed folder '{folder}' does not exist.");
        }

        var programme = Read<SeedProgramme>(Path.Combine(folder, "programme.json"));
        var enterprises = Read<List<SeedEnterprise>>(Path.Combine(folder, "enterprises.json"));
        var challenges = Read<List<SeedChallenge>>(Path.Combine(folder, "challenges.json"));
        var vendors = Directory.GetFiles(folder, "vendors*.json").Order(StringComparer.Ordinal)
            .SelectMany(Read<List<SeedVendor>>)
            .ToList();
        // story.json is optional: a folder without it (seeds/test) loads the records alone.
        var storyPath = Path.Combine(folder, "story.json");
        var story = File.Exists(storyPath) ? Read<SeedStory>(storyPath) : null;
        var data = new DemoSeedData(programme, enterprises, challenges, vendors, story);
        data.Validate();
        return data;
    }

    private static T Read<T>(string path)
    {
        if (!File.Exists(path))
        {
            throw new SeedDataException($"Demo seed file '{path}' is missing.");
        }

        try
        {
            using var stream = File.OpenRead(path);
            return JsonSerializer.Deserialize<T>(stream, Json) ?? throw new SeedDataException($"Demo seed file '{path}' is empty.");
        }
        catch (JsonException ex)
        {
            throw new SeedDataException($"Demo seed file '{path}' is not valid: {ex.Message}", ex);
        }
    }

    private void Validate()
    {
        var problems = new List<string>();
        var keys = new HashSet<string>(StringComparer.Ordinal) { Programme.Office.Key };
        var enterpriseKeys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var key in Enterprises.Select(e => e.Key).Concat(Vendors.Select(v => v.Key)).Concat(Challenges.Select(c => c.Key)))
        {
            if (!keys.Add(key))
            {
                problems.Add($"key '{key}' is used twice");
            }
        }

        foreach (var enterprise in Enterprises)
        {
            enterpriseKeys.Add(enterprise.Key);
        }

        foreach (var challenge in Challenges)
        {
            if (!enterpriseKeys.Contains(challenge.Enterprise))
            {
                problems.Add($"challenge '{challenge.Key}' names unknown enterprise '{challenge.Enterprise}'");
            }

            if (!Core.Challenges.Industries.IsKnown(challenge.Industry))
            {
                problems.Add($"challenge '{challenge.Key}' has unknown industry '{challenge.Industry}'");
            }

            if (challenge.TargetTrl is < 1 or > 9)
            {
                problems.Add($"challenge '{challenge.Key}' has target TRL {challenge.TargetTrl} (must be 1-9)");
            }

            if (challenge.Language is not ("zh" or "en") || challenge.Visibility is not ("public" or "confidential") || challenge.Status is not ("published" or "closed"))
            {
                problems.Add($"challenge '{challenge.Key}' has a language, visibility or status outside the documented values");
            }
        }

        foreach (var vendor in Vendors.Where(v => v.Language is not ("zh" or "en")))
        {
            problems.Add($"vendor '{vendor.Key}' has language '{vendor.Language}' (must be zh or en)");
        }

        if (Story is not null)
        {
            problems.AddRange(Story.Problems(this));
        }

        if (problems.Count > 0)
        {
            throw new SeedDataException("The demo seed data has problems: " + string.Join("; ", problems) + ".");
        }
    }
}

public sealed class SeedDataException : Exception
{
    public SeedDataException(string message)
        : base(message)
    {
    }

    public SeedDataException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public SeedDataException()
    {
    }
}
