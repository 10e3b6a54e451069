using Marketplace.Core.Challenges;
using Marketplace.Core.Proposals;
using Marketplace.Core.Features.Proposals;

namespace Marketplace.Web.Features.Proposals;

/// <summary>A milestone row of the proposal form.</summary>
public sealed class MilestoneForm
{
    public string? Name { get; set; }
    public DateOnly? DueOn { get; set; }
    public string? Deliverable { get; set; }
    public decimal? PaymentShare { get; set; }
}

/// <summary>
/// The proposal form. Properties are nullable so MVC adds no "required" errors of its own: every message comes
/// from the proposal rules, beside its field.
/// </summary>
public sealed class ProposalForm
{
    public string? Approach { get; set; }
    public List<string?> TargetAnswers { get; set; } = [];
    public int? CurrentTrl { get; set; }
    public int? DeliveryTrl { get; set; }
    public string? Team { get; set; }
    public List<MilestoneForm> Milestones { get; set; } = [];
    public List<string?> Partners { get; set; } = [];
    public decimal? PriceAmount { get; set; }
    public string? PriceCurrency { get; set; }
    public string? PaymentTerms { get; set; }

    public ProposalInput ToInput() => new()
    {
        Approach = Approach,
        TargetAnswers = TargetAnswers,
        CurrentTrl = CurrentTrl,
        DeliveryTrl = DeliveryTrl,
        Team = Team,
        Milestones = Milestones.Select(m => new MilestoneInput { Name = m.Name, DueOn = m.DueOn, Deliverable = m.Deliverable, PaymentShare = m.PaymentShare }).ToList(),
        Partners = Partners,
        PriceAmount = PriceAmount,
        PriceCurrency = PriceCurrency,
        PaymentTerms = PaymentTerms,
    };

    public static ProposalForm From(ProposalView proposal) => new()
    {
        Approach = proposal.Technical.Approach,
        TargetAnswers = proposal.Technical.TargetAnswers.OrderBy(a => a.Position).Select(a => (string?)a.Answer).ToList(),
        CurrentTrl = proposal.Technical.CurrentTrl,
        DeliveryTrl = proposal.Technical.DeliveryTrl,
        Team = proposal.Technical.Team,
        Milestones = proposal.Technical.Milestones.Select(m => new MilestoneForm { Name = m.Name, DueOn = m.DueOn, Deliverable = m.Deliverable, PaymentShare = m.PaymentSharePercent }).ToList(),
        Partners = proposal.Technical.Partners.Select(p => (string?)p.Name).ToList(),
        PriceAmount = proposal.Price?.Amount,
        PriceCurrency = proposal.Price?.Currency,
        PaymentTerms = proposal.Price?.PaymentTerms,
    };
}

/// <summary>What the proposal form page shows: the challenge's targets, the form, and where it posts.</summary>
public sealed class ProposalFormPage
{
    public ChallengeDetail Challenge { get; init; } = new();
    public ProposalForm Form { get; init; } = new();
    public long? ProposalId { get; init; }
    public string Status { get; init; } = ProposalStatus.Draft;
    public int CurrentVersion { get; init; }
    public string Lead { get; init; } = "";

    public string PostUrl => ProposalId is { } id ? $"/proposals/{id}" : $"/challenges/{Challenge.Id}/proposals";

    public bool IsSubmitted => Status == ProposalStatus.Submitted;
}

/// <summary>A proposal's page: the proposal as the viewer may see it, and whether the viewer may still change it.</summary>
public sealed class ProposalDetailsPage
{
    public ProposalView Proposal { get; init; } = new();
    public bool MayChange { get; init; }
    public bool JustSaved { get; init; }
}

/// <summary>One earlier version of the author's own proposal, with its receipt.</summary>
public sealed class ProposalVersionPage
{
    public ProposalView Proposal { get; init; } = new();
    public ProposalReceipt Receipt { get; init; } = new();
    public TechnicalEnvelope Technical { get; init; } = new();
}

/// <summary>A closed challenge's proposals for its enterprise or officers.</summary>
public sealed class ChallengeProposalsPage
{
    public ChallengeProposals Proposals { get; init; } = new();
    public bool MayOpenPrices { get; init; }
    public string? Message { get; init; }
}

/// <summary>A plain explanation when a proposal action is refused (deadline passed, NDA missing …).</summary>
public sealed record ProposalNotice(string Title, string Message, string BackUrl, string BackText);

/// <summary>What the entry point on a challenge's page offers this viewer.</summary>
public sealed class ProposalEntryModel
{
    public long ChallengeId { get; init; }
    public bool IsOpen { get; init; }
    public bool IsSignedIn { get; init; }
    public bool IsVendor { get; init; }
    public bool MaySubmit { get; init; }
    public bool NeedsNda { get; init; }
    public ProposalListItem? Mine { get; init; }
    public bool MayListProposals { get; init; }
    public bool IsOwnerOrOfficer { get; init; }
    public DateTimeOffset DeadlineAt { get; init; }
}
