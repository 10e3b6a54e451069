using Marketplace.Core.Proposals;

namespace Marketplace.Web.Features.Proposals;

/// <summary>A milestone in an API request.</summary>
public sealed record MilestoneRequest
{
    public string? Name { get; init; }

    /// <summary>The due date, yyyy-MM-dd; after the challenge's deadline.</summary>
    public DateOnly? DueOn { get; init; }
    public string? Deliverable { get; init; }

    /// <summary>Percentage of the price paid when this milestone is accepted; the shares add up to 100.</summary>
    public decimal? PaymentShare { get; init; }
}

/// <summary>
/// A proposal in the API: the technical envelope (approach, one answer per acceptance target in the challenge's
/// order, TRLs, team, milestones, consortium partners as slugs of registered vendor organisations) and the price
/// envelope (priceAmount, priceCurrency, paymentTerms). With <c>draft: true</c> it is saved unsubmitted and may be incomplete.
/// </summary>
public sealed record ProposalRequest
{
    public bool Draft { get; init; }
    public string? Approach { get; init; }
    public IReadOnlyList<string?>? TargetAnswers { get; init; }
    public int? CurrentTrl { get; init; }
    public int? DeliveryTrl { get; init; }
    public string? Team { get; init; }
    public IReadOnlyList<MilestoneRequest>? Milestones { get; init; }
    public IReadOnlyList<string?>? Partners { get; init; }
    public decimal? PriceAmount { get; init; }
    public string? PriceCurrency { get; init; }
    public string? PaymentTerms { get; init; }

    public ProposalInput ToInput() => new()
    {
        Approach = Approach,
        TargetAnswers = TargetAnswers ?? [],
        CurrentTrl = CurrentTrl,
        DeliveryTrl = DeliveryTrl,
        Team = Team,
        Milestones = (Milestones ?? []).Select(m => new MilestoneInput { Name = m.Name, DueOn = m.DueOn, Deliverable = m.Deliverable, PaymentShare = m.PaymentShare }).ToList(),
        Partners = Partners ?? [],
        PriceAmount = PriceAmount,
        PriceCurrency = PriceCurrency,
        PaymentTerms = PaymentTerms,
    };
}
