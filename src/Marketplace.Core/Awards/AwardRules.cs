using Marketplace.Core.Common;

namespace Marketplace.Core.Awards;

/// <summary>What the officer decides: winners (proposal ids), or no award with a reason; feedback per non-winner.</summary>
public sealed record AwardInput
{
    public bool NoAward { get; init; }
    public IReadOnlyList<long> WinnerProposalIds { get; init; } = [];
    public string? Reason { get; init; }
    public IReadOnlyDictionary<long, string?> Feedback { get; init; } = new Dictionary<long, string?>();
}

/// <summary>A validated decision: winners in rank order and the feedback of every other submitted proposal.</summary>
public sealed record AwardPlan(bool NoAward, IReadOnlyList<long> WinnersInRankOrder, string? Reason, IReadOnlyDictionary<long, string> Feedback);

public static class AwardOutcome
{
    public const string Awarded = "awarded";
    public const string NotAwarded = "not_awarded";
}

/// <summary>
/// The award rules: between 1 and the quota winners among the submitted proposals, or no award with a reason;
/// written feedback for every submitted proposal that does not win. Winners are stored in the order of the review
/// ranking (best weighted total first), whatever order the officer ticked them in.
/// </summary>
public static class AwardRules
{
    public const int DefaultQuota = 3;
    public const int MaxQuota = 20;
    public const int MaxFeedbackLength = 4000;
    public const int MaxReasonLength = 2000;

    public static Result<AwardPlan> Validate(AwardInput input, IReadOnlyList<long> rankedProposalIds, int quota)
    {
        var errors = new ValidationErrors();
        var winners = input.NoAward ? [] : input.WinnerProposalIds.Distinct().ToList();
        if (input.NoAward)
        {
            errors.Require("reason", input.Reason, "The reason for not awarding the challenge", MaxReasonLength);
            if (input.WinnerProposalIds.Count > 0)
            {
                errors.Add("winners", "Choose winners or no award, not both.");
            }
        }
        else
        {
            if (winners.Count == 0)
            {
                errors.Add("winners", "Choose at least one winning proposal, or record no award with a reason.");
            }
            else if (winners.Count > quota)
            {
                errors.Add("winners", $"At most {quota} proposals can win this challenge.");
            }

            if (winners.Any(w => !rankedProposalIds.Contains(w)))
            {
                errors.Add("winners", "A winner must be one of the challenge's submitted proposals.");
            }

            if (input.Reason is { Length: > MaxReasonLength })
            {
                errors.Add("reason", $"The reason must be at most {MaxReasonLength} characters.");
            }
        }

        var feedback = new Dictionary<long, string>();
        foreach (var id in rankedProposalIds.Where(p => !winners.Contains(p)))
        {
            var text = input.Feedback.GetValueOrDefault(id);
            errors.Require($"feedback[{id}]", text, "Written feedback to this vendor", MaxFeedbackLength);
            if (!string.IsNullOrWhiteSpace(text))
            {
                feedback[id] = text.Trim();
            }
        }

        if (!errors.IsEmpty)
        {
            return errors.ToError();
        }

        var ordered = rankedProposalIds.Where(winners.Contains).ToList();
        return new AwardPlan(input.NoAward, ordered, string.IsNullOrWhiteSpace(input.Reason) ? null : input.Reason.Trim(), feedback);
    }

    public static Error? ValidQuota(int? quota) =>
        quota is { } q && q is >= 1 and <= MaxQuota ? null : Error.Invalid("quota", $"The quota is a whole number from 1 to {MaxQuota}.");
}
