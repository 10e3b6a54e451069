using System.Globalization;
using Marketplace.Core.Challenges;
using Marketplace.Core.Common;

namespace Marketplace.Core.Proposals;

/// <summary>A milestone row as typed in the form or sent to the API; blank rows are ignored.</summary>
public sealed record MilestoneInput
{
    public string? Name { get; init; }
    public DateOnly? DueOn { get; init; }
    public string? Deliverable { get; init; }
    public decimal? PaymentShare { get; init; }

    public bool IsBlank => string.IsNullOrWhiteSpace(Name) && DueOn is null && string.IsNullOrWhiteSpace(Deliverable) && PaymentShare is null;
}

/// <summary>
/// A proposal as the vendor writes it (page form or API). Everything may be missing here;
/// <see cref="ProposalRules.Validate"/> says what is wrong, field by field (camelCase names as the API uses them).
/// <see cref="Partners"/> name the registered vendor organisations joining as consortium partners: each a name, an English name or an identifier (slug).
/// </summary>
public sealed record ProposalInput
{
    public string? Approach { get; init; }
    public IReadOnlyList<string?> TargetAnswers { get; init; } = [];
    public int? CurrentTrl { get; init; }
    public int? DeliveryTrl { get; init; }
    public string? Team { get; init; }
    public IReadOnlyList<MilestoneInput> Milestones { get; init; } = [];
    public IReadOnlyList<string?> Partners { get; init; } = [];
    public decimal? PriceAmount { get; init; }
    public string? PriceCurrency { get; init; }
    public string? PaymentTerms { get; init; }
}

/// <summary>A proposal that passed validation: trimmed, ready to seal. Partners are still as typed; the handler resolves them.</summary>
public sealed record ValidProposal
{
    public TechnicalEnvelope Technical { get; init; } = new();
    public PriceEnvelope Price { get; init; } = new();
    public IReadOnlyList<string> PartnerSlugs { get; init; } = [];
}

/// <summary>
/// The rules of a proposal: what a complete submission needs, what a draft may leave out, and when a proposal may
/// change at all. Messages are fixed English sentences, so pages can translate them.
/// </summary>
public static class ProposalRules
{
    public const int MaxPartners = 4;
    public const int MaxMilestones = 12;
    public const int MaxText = 8000;
    public const int MaxAnswer = 2000;

    /// <summary>How far past the deadline a milestone may fall (a stage adjustment moves one within the same horizon).</summary>
    public const int MaxMilestoneYearsAhead = 10;

    public const string DeadlinePassed = "The deadline of this challenge has passed: proposals can no longer be submitted, revised or withdrawn.";
    public const string NotOpen = "This challenge is not open for proposals.";
    public const string AlreadyLive = "Your organisation already has a proposal for this challenge. Revise it instead of starting another.";

    /// <summary>Whether a proposal to this challenge may be submitted, revised or withdrawn now. The server clock decides.</summary>
    public static Error? AcceptsChanges(string challengeStatus, DateTimeOffset deadlineAt, DateTimeOffset now)
    {
        if (challengeStatus == ChallengeStatus.Published && now < deadlineAt)
        {
            return null;
        }

        return Error.Conflict(now >= deadlineAt ? DeadlinePassed : NotOpen);
    }

    /// <summary>A lead vendor may have one live (draft or submitted) proposal per challenge.</summary>
    public static Error? MayStart(bool hasLiveProposal) => hasLiveProposal ? Error.Conflict(AlreadyLive) : null;

    /// <summary>Whether the challenge's proposals are unsealed for its enterprise and officers.</summary>
    public static bool IsUnsealed(DateTimeOffset deadlineAt, DateTimeOffset now) => now >= deadlineAt;

    /// <summary>
    /// Validates a proposal against the challenge's acceptance targets. A submission must be complete; a draft
    /// (<paramref name="complete"/> false) may leave things out but what it gives must still be well-formed.
    /// </summary>
    public static Result<ValidProposal> Validate(ProposalInput input, IReadOnlyList<AcceptanceTarget> targets, DateTimeOffset deadlineAt, bool complete)
    {
        var errors = new ValidationErrors();
        Text(errors, "approach", input.Approach, MaxText, complete, "Describe your technical approach.", "The technical approach must be at most 8,000 characters.");

        var answers = input.TargetAnswers;
        if (answers.Count > targets.Count)
        {
            errors.Add("targetAnswers", "There are more answers than the challenge has acceptance targets.");
        }

        for (var i = 0; i < targets.Count; i++)
        {
            var answer = i < answers.Count ? answers[i] : null;
            Text(errors, $"targetAnswers[{i}]", answer, MaxAnswer, complete, "Say how your solution meets this target.", "An answer must be at most 2,000 characters.");
        }

        Trl(errors, "currentTrl", input.CurrentTrl, complete, "Choose the current technology readiness level (TRL 1–9).");
        Trl(errors, "deliveryTrl", input.DeliveryTrl, complete, "Choose the TRL at delivery (1–9).");
        if (input.CurrentTrl is >= 1 and <= 9 && input.DeliveryTrl is >= 1 and <= 9 && input.DeliveryTrl < input.CurrentTrl)
        {
            errors.Add("deliveryTrl", "The TRL at delivery cannot be lower than the current TRL.");
        }

        Text(errors, "team", input.Team, MaxText, complete, "Describe the team: who works on it, with what experience.", "The team description must be at most 8,000 characters.");

        var milestones = input.Milestones.Select((m, i) => (Milestone: m, Index: i)).Where(m => !m.Milestone.IsBlank).ToList();
        if (complete && milestones.Count == 0)
        {
            errors.Add("milestones", "Give at least one milestone with a due date, a deliverable and a payment share.");
        }
        else if (milestones.Count > MaxMilestones)
        {
            errors.Add("milestones", "Give at most 12 milestones.");
        }

        var deadlineDate = DateOnly.FromDateTime(deadlineAt.UtcDateTime);
        foreach (var (milestone, index) in milestones)
        {
            var field = $"milestones[{index}]";
            Text(errors, field + ".name", milestone.Name, 200, complete, "Name the milestone.", "A milestone name must be at most 200 characters.");
            if (milestone.DueOn is null)
            {
                if (complete)
                {
                    errors.Add(field + ".dueOn", "Give the milestone's due date.");
                }
            }
            else if (milestone.DueOn <= deadlineDate)
            {
                errors.Add(field + ".dueOn", "A milestone must fall after the challenge's deadline.");
            }
            else if (milestone.DueOn > deadlineDate.AddYears(MaxMilestoneYearsAhead))
            {
                errors.Add(field + ".dueOn", "A milestone must fall within ten years.");
            }

            Text(errors, field + ".deliverable", milestone.Deliverable, MaxAnswer, complete, "Say what is delivered at this milestone.", "A deliverable must be at most 2,000 characters.");
            if (milestone.PaymentShare is null)
            {
                if (complete)
                {
                    errors.Add(field + ".paymentShare", "Give the share of the price paid at this milestone (%).");
                }
            }
            else if (milestone.PaymentShare is <= 0 or > 100 || decimal.Round(milestone.PaymentShare.Value, 2) != milestone.PaymentShare)
            {
                errors.Add(field + ".paymentShare", "A payment share is a percentage above 0 and at most 100, with at most two decimals.");
            }
        }

        if (complete && milestones.Count > 0 && milestones.All(m => m.Milestone.PaymentShare is > 0 and <= 100)
            && milestones.Sum(m => m.Milestone.PaymentShare!.Value) != 100m)
        {
            errors.Add("milestones", "The payment shares of the milestones must add up to 100%.");
        }

        var partners = input.Partners.Where(p => !string.IsNullOrWhiteSpace(p)).Select(p => p!.Trim().ToLowerInvariant()).ToList();
        if (partners.Count > MaxPartners)
        {
            errors.Add("partners", "A consortium has at most 4 partners besides the lead vendor.");
        }
        else if (partners.Distinct(StringComparer.Ordinal).Count() != partners.Count)
        {
            errors.Add("partners", "Name each partner only once.");
        }

        if (input.PriceAmount is null)
        {
            if (complete)
            {
                errors.Add("priceAmount", "Give your price.");
            }
        }
        else if (input.PriceAmount is <= 0 or > 100_000_000_000m || decimal.Round(input.PriceAmount.Value, 2) != input.PriceAmount)
        {
            errors.Add("priceAmount", "The price must be a positive amount with at most two decimals.");
        }

        var currency = string.IsNullOrWhiteSpace(input.PriceCurrency) ? "CNY" : input.PriceCurrency.Trim().ToUpperInvariant();
        if (currency.Length != 3 || !currency.All(c => c is >= 'A' and <= 'Z'))
        {
            errors.Add("priceCurrency", "The currency must be a three-letter ISO code such as CNY, USD or EUR.");
        }

        Text(errors, "paymentTerms", input.PaymentTerms, MaxAnswer, complete, "State your payment terms.", "The payment terms must be at most 2,000 characters.");

        if (!errors.IsEmpty)
        {
            return errors.ToError();
        }

        return new ValidProposal
        {
            Technical = new TechnicalEnvelope
            {
                Approach = Clean(input.Approach),
                TargetAnswers = targets.Select((t, i) => new TargetAnswer
                {
                    Position = i + 1,
                    Metric = t.Metric,
                    Threshold = t.Threshold,
                    Answer = Clean(i < answers.Count ? answers[i] : null),
                }).ToList(),
                CurrentTrl = input.CurrentTrl,
                DeliveryTrl = input.DeliveryTrl,
                Team = Clean(input.Team),
                Milestones = milestones.Select(m => new ProposalMilestone
                {
                    Name = Clean(m.Milestone.Name),
                    DueOn = m.Milestone.DueOn,
                    Deliverable = Clean(m.Milestone.Deliverable),
                    PaymentSharePercent = m.Milestone.PaymentShare,
                }).ToList(),
            },
            Price = new PriceEnvelope { Amount = input.PriceAmount, Currency = currency, PaymentTerms = Clean(input.PaymentTerms) },
            PartnerSlugs = partners,
        };
    }

    /// <summary>How an amount is written into the fingerprint, whatever the engine returns (1200000 or 1200000.00).</summary>
    public static string CanonicalAmount(decimal? amount) =>
        amount is { } value ? value.ToString("0.00", CultureInfo.InvariantCulture) : "";

    private static void Text(ValidationErrors errors, string field, string? value, int max, bool required, string missing, string tooLong)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required)
            {
                errors.Add(field, missing);
            }
        }
        else if (value.Trim().Length > max)
        {
            errors.Add(field, tooLong);
        }
    }

    private static void Trl(ValidationErrors errors, string field, int? value, bool required, string missing)
    {
        if (value is null)
        {
            if (required)
            {
                errors.Add(field, missing);
            }
        }
        else if (value is < 1 or > 9)
        {
            errors.Add(field, "A TRL is between 1 and 9.");
        }
    }

    private static string Clean(string? value) => string.IsNullOrWhiteSpace(value) ? "" : value.Trim();
}
