using Marketplace.Core.Common;

namespace Marketplace.Core.Reviews;

/// <summary>One criterion of a challenge's rubric, named in both languages, with its weight (whole percent).</summary>
public sealed record RubricCriterion
{
    public long Id { get; init; }
    public int Position { get; init; }
    public string NameZh { get; init; } = "";
    public string NameEn { get; init; } = "";
    public int Weight { get; init; }

    public string Name(bool chinese) => chinese ? NameZh : NameEn;
}

/// <summary>A criterion as an officer enters it (edit form or API).</summary>
public sealed record CriterionInput
{
    public string? NameZh { get; init; }
    public string? NameEn { get; init; }
    public int? Weight { get; init; }
}

/// <summary>
/// The rules of a rubric: 2 to 8 criteria, each named in both languages, whole-number weights summing to 100.
/// The defaults are the programme's: technology maturity 30, path innovation 25, fit to the acceptance targets 25,
/// process contribution and team 20. Scores are whole numbers 1–10 with a comment.
/// </summary>
public static class RubricRules
{
    public const int MinCriteria = 2;
    public const int MaxCriteria = 8;
    public const int TotalWeight = 100;
    public const int MaxNameLength = 200;
    public const int MinScore = 1;
    public const int MaxScore = 10;
    public const int MaxCommentLength = 2000;

    public static IReadOnlyList<RubricCriterion> Defaults { get; } =
    [
        new() { Position = 1, NameZh = "技术成熟度", NameEn = "Technology maturity", Weight = 30 },
        new() { Position = 2, NameZh = "路径创新", NameEn = "Path innovation", Weight = 25 },
        new() { Position = 3, NameZh = "验收指标契合度", NameEn = "Fit to the acceptance targets", Weight = 25 },
        new() { Position = 4, NameZh = "过程贡献与团队", NameEn = "Process contribution and team", Weight = 20 },
    ];

    /// <summary>Validates an edited rubric; blank rows (no names, no weight) are dropped first. Field errors name criteria[i].</summary>
    public static Result<IReadOnlyList<RubricCriterion>> Validate(IReadOnlyList<CriterionInput> input)
    {
        var rows = input.Select((c, i) => (c, i))
            .Where(r => !string.IsNullOrWhiteSpace(r.c.NameZh) || !string.IsNullOrWhiteSpace(r.c.NameEn) || r.c.Weight is not null)
            .ToList();
        var errors = new ValidationErrors();
        if (rows.Count is < MinCriteria or > MaxCriteria)
        {
            errors.Add("criteria", $"A rubric has {MinCriteria} to {MaxCriteria} criteria.");
        }

        foreach (var (c, i) in rows)
        {
            errors.Require($"criteria[{i}].nameZh", c.NameZh, "The Chinese name", MaxNameLength);
            errors.Require($"criteria[{i}].nameEn", c.NameEn, "The English name", MaxNameLength);
            if (c.Weight is not { } weight || weight is < 1 or > TotalWeight)
            {
                errors.Add($"criteria[{i}].weight", $"The weight is a whole number from 1 to {TotalWeight}.");
            }
        }

        if (errors.IsEmpty && rows.Sum(r => r.c.Weight!.Value) != TotalWeight)
        {
            errors.Add("criteria", $"The weights must add up to {TotalWeight} (they add up to {rows.Sum(r => r.c.Weight!.Value)}).");
        }

        if (!errors.IsEmpty)
        {
            return errors.ToError();
        }

        return rows.Select((r, position) => new RubricCriterion
        {
            Position = position + 1,
            NameZh = r.c.NameZh!.Trim(),
            NameEn = r.c.NameEn!.Trim(),
            Weight = r.c.Weight!.Value,
        }).ToList();
    }

    /// <summary>The rubric changes only until the first score is recorded (then every reviewer scored against it).</summary>
    public static Error? MayEdit(bool reviewStarted, int scoreCount, bool scoringClosed) =>
        !reviewStarted ? Error.Conflict("The rubric is created when review starts (with the first reviewer assigned).")
        : scoringClosed ? Error.Conflict("Technical scoring of this challenge has closed; the rubric is frozen.")
        : scoreCount > 0 ? Error.Conflict("A reviewer has already recorded scores against this rubric; it is frozen.")
        : null;

    /// <summary>Validates one save of a reviewer's scores: every criterion of the rubric, 1–10, each with a comment.</summary>
    public static Result<IReadOnlyList<ScoreEntry>> ValidateScores(IReadOnlyList<RubricCriterion> rubric, IReadOnlyList<ScoreInput> input)
    {
        var errors = new ValidationErrors();
        var entries = new List<ScoreEntry>();
        foreach (var criterion in rubric)
        {
            var given = input.FirstOrDefault(s => s.CriterionId == criterion.Id);
            var field = $"scores[{criterion.Id}]";
            if (given?.Score is not { } score || score is < MinScore or > MaxScore)
            {
                errors.Add($"{field}.score", $"Give a whole score from {MinScore} to {MaxScore} for \"{criterion.NameEn}\".");
            }

            errors.Require($"{field}.comment", given?.Comment, "The comment", MaxCommentLength);
            if (given?.Score is { } s && s is >= MinScore and <= MaxScore && !string.IsNullOrWhiteSpace(given.Comment))
            {
                entries.Add(new ScoreEntry(criterion.Id, s, given.Comment.Trim()));
            }
        }

        foreach (var unknown in input.Where(s => rubric.All(c => c.Id != s.CriterionId)))
        {
            errors.Add($"scores[{unknown.CriterionId}]", "This criterion is not part of the challenge's rubric.");
        }

        return errors.IsEmpty ? entries : errors.ToError();
    }
}

/// <summary>A reviewer's score for one criterion as entered.</summary>
public sealed record ScoreInput
{
    public long CriterionId { get; init; }
    public int? Score { get; init; }
    public string? Comment { get; init; }
}

/// <summary>A validated score, ready to append.</summary>
public sealed record ScoreEntry(long CriterionId, int Score, string Comment);
