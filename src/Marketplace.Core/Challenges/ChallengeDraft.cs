using Marketplace.Core.Common;

namespace Marketplace.Core.Challenges;

/// <summary>An acceptance target as typed in a form or sent to the API; blank rows are ignored.</summary>
public sealed record AcceptanceTargetInput
{
    public string? Metric { get; init; }
    public string? Threshold { get; init; }
    public string? TestMethod { get; init; }

    public bool IsBlank => string.IsNullOrWhiteSpace(Metric) && string.IsNullOrWhiteSpace(Threshold) && string.IsNullOrWhiteSpace(TestMethod);
}

/// <summary>
/// The structured text of a challenge as the enterprise writes it (page form or API). Every field may be missing
/// here; <see cref="ChallengeDraftRules.Validate"/> says what is wrong, field by field (camelCase names).
/// </summary>
public sealed record ChallengeDraft
{
    [SingleLine]
    public string? Title { get; init; }
    public string? Industry { get; init; }
    public string? Scenario { get; init; }
    public string? CurrentProcess { get; init; }
    public string? DataAvailable { get; init; }
    public string? Constraints { get; init; }
    public IReadOnlyList<AcceptanceTargetInput> AcceptanceTargets { get; init; } = [];
    public string? ExpectedOutcome { get; init; }
    public int? TargetTrl { get; init; }
    public decimal? BudgetAmount { get; init; }
    public string? BudgetCurrency { get; init; }

    /// <summary>The deadline as an instant; pages convert the viewer's local time (default Asia/Shanghai) first.</summary>
    public DateTimeOffset? DeadlineAt { get; init; }
    public string? Language { get; init; }
    public IReadOnlyList<string> Tags { get; init; } = [];
    public IReadOnlyList<string> AttachmentLinks { get; init; } = [];
    public string? Visibility { get; init; }
}

/// <summary>A draft that passed validation: trimmed, defaults applied, ready to store.</summary>
public sealed record ValidChallengeDraft
{
    public string Title { get; init; } = "";
    public string Industry { get; init; } = "";
    public string Scenario { get; init; } = "";
    public string? CurrentProcess { get; init; }
    public string? DataAvailable { get; init; }
    public string? Constraints { get; init; }
    public IReadOnlyList<AcceptanceTarget> AcceptanceTargets { get; init; } = [];
    public string? ExpectedOutcome { get; init; }
    public int TargetTrl { get; init; }
    public Money? Budget { get; init; }
    public DateTimeOffset DeadlineAt { get; init; }
    public string Language { get; init; } = "zh";
    public IReadOnlyList<string> Tags { get; init; } = [];
    public IReadOnlyList<string> AttachmentLinks { get; init; } = [];
    public string Visibility { get; init; } = "public";

    /// <summary>All the words the negative list is checked against.</summary>
    public string ScreeningText => ChallengeDraftRules.ScreeningText(Title, Scenario, CurrentProcess, DataAvailable, Constraints, ExpectedOutcome,
        AcceptanceTargets.SelectMany(t => new[] { t.Metric, t.Threshold, t.TestMethod }));
}

/// <summary>The rules of a well-formed challenge. Messages are fixed English sentences, so pages can translate them.</summary>
public static class ChallengeDraftRules
{
    public const int MaxTitle = 200;
    public const int MaxText = 8000;
    public const int MaxTargets = 12;
    public const int MaxAttachments = 10;
    public const int MaxTags = 8;
    public const int MaxTestMethod = 1000;

    /// <summary>How far ahead a deadline may lie: further is a typing mistake (year 9999), not a programme.</summary>
    public const int MaxDeadlineYears = 5;

    public static Result<ValidChallengeDraft> Validate(ChallengeDraft draft, DateTimeOffset now)
    {
        var errors = new ValidationErrors();
        Text(errors, "title", draft.Title, MaxTitle, "Enter a title.", "The title must be at most 200 characters.");
        if (string.IsNullOrWhiteSpace(draft.Industry))
        {
            errors.Add("industry", "Choose an industry.");
        }
        else if (!Industries.IsKnown(draft.Industry))
        {
            errors.Add("industry", "Choose an industry from the list.");
        }

        Text(errors, "scenario", draft.Scenario, MaxText, "Describe the scenario: the problem to solve.", "The scenario must be at most 8,000 characters.");
        Optional(errors, "currentProcess", draft.CurrentProcess);
        Optional(errors, "dataAvailable", draft.DataAvailable);
        Optional(errors, "constraints", draft.Constraints);
        Optional(errors, "expectedOutcome", draft.ExpectedOutcome);

        var targets = draft.AcceptanceTargets.Select((t, i) => (Target: t, Index: i)).Where(t => !t.Target.IsBlank).ToList();
        if (targets.Count == 0)
        {
            errors.Add("acceptanceTargets", "Give at least one acceptance target with a metric, a threshold and a test method.");
        }
        else if (targets.Count > MaxTargets)
        {
            errors.Add("acceptanceTargets", "Give at most 12 acceptance targets.");
        }

        foreach (var (target, index) in targets)
        {
            if (string.IsNullOrWhiteSpace(target.Metric))
            {
                errors.Add($"acceptanceTargets[{index}].metric", "Name the metric, e.g. defect recall.");
            }
            else if (target.Metric.Trim().Length > 400)
            {
                errors.Add($"acceptanceTargets[{index}].metric", "The metric must be at most 400 characters.");
            }

            if (string.IsNullOrWhiteSpace(target.Threshold))
            {
                errors.Add($"acceptanceTargets[{index}].threshold", "Give the threshold to reach, e.g. ≥ 98%.");
            }
            else if (target.Threshold.Trim().Length > 200)
            {
                errors.Add($"acceptanceTargets[{index}].threshold", "The threshold must be at most 200 characters.");
            }

            if (string.IsNullOrWhiteSpace(target.TestMethod))
            {
                errors.Add($"acceptanceTargets[{index}].testMethod", "Say how it is tested, e.g. on 2,000 held-out images.");
            }
            else if (target.TestMethod.Trim().Length > MaxTestMethod)
            {
                errors.Add($"acceptanceTargets[{index}].testMethod", "The test method must be at most 1,000 characters.");
            }
        }

        if (draft.TargetTrl is null)
        {
            errors.Add("targetTrl", "Choose the target technology readiness level (TRL 1–9).");
        }
        else if (draft.TargetTrl is < 1 or > 9)
        {
            errors.Add("targetTrl", "The target TRL must be between 1 and 9.");
        }

        if (draft.BudgetAmount is { } amount && (amount <= 0 || amount > 100_000_000_000m))
        {
            errors.Add("budgetAmount", "The budget must be a positive amount (leave it empty for negotiable).");
        }

        var currency = string.IsNullOrWhiteSpace(draft.BudgetCurrency) ? "CNY" : draft.BudgetCurrency.Trim().ToUpperInvariant();
        if (currency.Length != 3 || !currency.All(c => c is >= 'A' and <= 'Z'))
        {
            errors.Add("budgetCurrency", "The currency must be a three-letter ISO code such as CNY, USD or EUR.");
        }

        if (draft.DeadlineAt is null)
        {
            errors.Add("deadlineAt", "Choose the deadline for proposals.");
        }
        else if (draft.DeadlineAt <= now)
        {
            errors.Add("deadlineAt", "The deadline must be in the future.");
        }
        else if (draft.DeadlineAt > now.AddYears(MaxDeadlineYears))
        {
            errors.Add("deadlineAt", "The deadline must be within five years.");
        }

        var language = string.IsNullOrWhiteSpace(draft.Language) ? null : draft.Language.Trim();
        if (language is not ("zh" or "en"))
        {
            errors.Add("language", "Choose the language the challenge is written in: zh or en.");
        }

        var visibility = string.IsNullOrWhiteSpace(draft.Visibility) ? "public" : draft.Visibility.Trim();
        if (visibility is not ("public" or "confidential"))
        {
            errors.Add("visibility", "Visibility must be public or confidential.");
        }

        var tags = draft.Tags.Where(t => !string.IsNullOrWhiteSpace(t)).Select(t => t.Trim()).Distinct(StringComparer.Ordinal).ToList();
        if (tags.Any(t => Challenges.Tags.Find(t) is null))
        {
            errors.Add("tags", "Choose tags from the list.");
        }
        else if (tags.Count > MaxTags)
        {
            errors.Add("tags", "Choose at most 8 tags.");
        }

        var links = draft.AttachmentLinks.Where(l => !string.IsNullOrWhiteSpace(l)).Select(l => l.Trim()).Distinct(StringComparer.Ordinal).ToList();
        if (links.Count > MaxAttachments)
        {
            errors.Add("attachmentLinks", "Give at most 10 attachment links.");
        }
        else if (links.Any(l => !IsWebLink(l)))
        {
            errors.Add("attachmentLinks", "Each attachment must be a web link starting with http:// or https://.");
        }

        if (!errors.IsEmpty)
        {
            return errors.ToError();
        }

        return new ValidChallengeDraft
        {
            Title = draft.Title!.Trim(),
            Industry = draft.Industry!,
            Scenario = draft.Scenario!.Trim(),
            CurrentProcess = Clean(draft.CurrentProcess),
            DataAvailable = Clean(draft.DataAvailable),
            Constraints = Clean(draft.Constraints),
            ExpectedOutcome = Clean(draft.ExpectedOutcome),
            AcceptanceTargets = targets.Select(t => new AcceptanceTarget(t.Target.Metric!.Trim(), t.Target.Threshold!.Trim(), t.Target.TestMethod!.Trim())).ToList(),
            TargetTrl = draft.TargetTrl!.Value,
            Budget = draft.BudgetAmount is { } budget ? new Money(budget, currency) : null,
            DeadlineAt = draft.DeadlineAt!.Value.ToUniversalTime(),
            Language = language!,
            Tags = tags,
            AttachmentLinks = links,
            Visibility = visibility,
        };
    }

    public static bool IsWebLink(string text) =>
        text.Length <= 2000
        && Uri.TryCreate(text, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
        && !string.IsNullOrEmpty(uri.Host);

    public static string ScreeningText(params object?[] parts) =>
        string.Join("\n", parts.SelectMany(p => p switch
        {
            string s => [s],
            IEnumerable<string> many => many,
            _ => Array.Empty<string>(),
        }).Where(s => !string.IsNullOrWhiteSpace(s)));

    private static void Text(ValidationErrors errors, string field, string? value, int max, string required, string tooLong)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add(field, required);
        }
        else if (value.Trim().Length > max)
        {
            errors.Add(field, tooLong);
        }
    }

    private static void Optional(ValidationErrors errors, string field, string? value)
    {
        if (value is { Length: > MaxText })
        {
            errors.Add(field, "This text must be at most 8,000 characters.");
        }
    }

    private static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
