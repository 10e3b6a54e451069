using Marketplace.Core.Common;
using Marketplace.Core.Proposals;

namespace Marketplace.Core.Delivery;

/// <summary>A milestone of a new delivery project, copied from the winning proposal version.</summary>
public sealed record PlannedMilestone(int Position, string Name, DateOnly DueOn, string Deliverable, decimal Share, decimal? Amount);

/// <summary>Payment shares: the money each milestone releases when accepted (recorded, not paid).</summary>
public static class PaymentShares
{
    /// <summary>
    /// Each milestone's amount is its share of the price rounded to the fen/cent; the last milestone takes what the
    /// rounding left, so the amounts add up to the price exactly. Without a known price every amount is unknown.
    /// </summary>
    public static IReadOnlyList<decimal?> Amounts(decimal? price, IReadOnlyList<decimal> shares)
    {
        if (price is not { } total || shares.Count == 0)
        {
            return shares.Select(_ => (decimal?)null).ToList();
        }

        var amounts = shares.Select(s => (decimal?)decimal.Round(total * s / 100m, 2, MidpointRounding.AwayFromZero)).ToList();
        if (shares.Sum() == 100m)
        {
            amounts[^1] = total - amounts.Take(amounts.Count - 1).Sum(a => a!.Value);
        }

        return amounts;
    }

    /// <summary>Released so far against the total, as shares and (when the price is known) amounts.</summary>
    public static PaymentSummary Summarise(IEnumerable<(decimal Share, decimal? Amount, bool Released)> milestones)
    {
        var list = milestones.ToList();
        var amountsKnown = list.Count > 0 && list.All(m => m.Amount is not null);
        return new PaymentSummary(
            list.Where(m => m.Released).Sum(m => m.Share),
            list.Sum(m => m.Share),
            amountsKnown ? list.Where(m => m.Released).Sum(m => m.Amount!.Value) : null,
            amountsKnown ? list.Sum(m => m.Amount!.Value) : null);
    }
}

public sealed record PaymentSummary(decimal ReleasedShare, decimal TotalShare, decimal? ReleasedAmount, decimal? TotalAmount);

/// <summary>The milestones a delivery project starts with: those of the winning version, in order, with their payment amounts.</summary>
public static class DeliveryPlan
{
    public static Result<IReadOnlyList<PlannedMilestone>> FromProposal(TechnicalEnvelope technical, decimal? price)
    {
        var milestones = technical.Milestones;
        if (milestones.Count == 0 || milestones.Any(m => m.DueOn is null || m.PaymentSharePercent is null || string.IsNullOrWhiteSpace(m.Name)))
        {
            return Error.Conflict("The winning proposal has no complete milestone plan (name, due date and payment share for each milestone).");
        }

        var amounts = PaymentShares.Amounts(price, milestones.Select(m => m.PaymentSharePercent!.Value).ToList());
        return milestones.Select((m, i) => new PlannedMilestone(i + 1, m.Name.Trim(), m.DueOn!.Value, m.Deliverable.Trim(), m.PaymentSharePercent!.Value, amounts[i])).ToList();
    }
}
