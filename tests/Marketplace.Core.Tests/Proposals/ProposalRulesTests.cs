using Marketplace.Core.Challenges;
using Marketplace.Core.Common;
using Marketplace.Core.Proposals;

namespace Marketplace.Core.Tests.Proposals;

public sealed class ProposalRulesTests
{
    private static readonly DateTimeOffset Deadline = new(2031, 6, 30, 10, 0, 0, TimeSpan.Zero);

    private static readonly IReadOnlyList<AcceptanceTarget> Targets =
    [
        new("Defect recall", "≥ 98%", "2,000 held-out images"),
        new("False alarms", "≤ 1%", "Same set"),
    ];

    public static ProposalInput Complete() => new()
    {
        Approach = "Line-scan cameras and a segmentation model on an edge server.",
        TargetAnswers = ["99.1% recall on our steel data set.", "0.6% false alarms in the 2024 pilot."],
        CurrentTrl = 6,
        DeliveryTrl = 8,
        Team = "Five engineers, two with hot-strip experience.",
        Milestones =
        [
            new MilestoneInput { Name = "Pilot", DueOn = new DateOnly(2031, 9, 1), Deliverable = "Pilot on line 2", PaymentShare = 40m },
            new MilestoneInput { Name = "Acceptance", DueOn = new DateOnly(2031, 12, 1), Deliverable = "Acceptance test passed", PaymentShare = 60m },
        ],
        PriceAmount = 980_000m,
        PriceCurrency = "cny",
        PaymentTerms = "Per accepted milestone, 30 days.",
    };

    private static IReadOnlyDictionary<string, string[]> Errors(ProposalInput input, bool complete = true)
    {
        var result = ProposalRules.Validate(input, Targets, Deadline, complete);
        Assert.False(result.IsSuccess);
        Assert.Equal(ErrorKind.Invalid, result.Error!.Kind);
        return result.Error.FieldErrors!;
    }

    [Fact]
    public void Validate_CompleteProposal_IsAcceptedTrimmedWithOneAnswerPerTarget()
    {
        var result = ProposalRules.Validate(Complete() with { Approach = "  Edge model.  " }, Targets, Deadline, complete: true);

        Assert.True(result.IsSuccess, result.Error?.Message);
        Assert.Equal("Edge model.", result.Value!.Technical.Approach);
        Assert.Equal(["Defect recall", "False alarms"], result.Value.Technical.TargetAnswers.Select(a => a.Metric));
        Assert.Equal([1, 2], result.Value.Technical.TargetAnswers.Select(a => a.Position));
        Assert.Equal("CNY", result.Value.Price.Currency);
        Assert.Equal(980_000m, result.Value.Price.Amount);
    }

    [Fact]
    public void Validate_EmptySubmission_NamesEveryMissingField()
    {
        var errors = Errors(new ProposalInput());

        Assert.Contains("approach", errors.Keys);
        Assert.Contains("targetAnswers[0]", errors.Keys);
        Assert.Contains("targetAnswers[1]", errors.Keys);
        Assert.Contains("currentTrl", errors.Keys);
        Assert.Contains("deliveryTrl", errors.Keys);
        Assert.Contains("team", errors.Keys);
        Assert.Contains("milestones", errors.Keys);
        Assert.Contains("priceAmount", errors.Keys);
        Assert.Contains("paymentTerms", errors.Keys);
    }

    [Fact]
    public void Validate_Draft_MayBeIncompleteButNotMalformed()
    {
        Assert.True(ProposalRules.Validate(new ProposalInput { Approach = "Half an idea" }, Targets, Deadline, complete: false).IsSuccess);

        var errors = Errors(new ProposalInput { CurrentTrl = 12 }, complete: false);
        Assert.Equal(["currentTrl"], errors.Keys);
    }

    [Fact]
    public void Validate_AnswerMissingForOneTarget_IsRefusedForThatTarget()
    {
        var errors = Errors(Complete() with { TargetAnswers = ["Only the first", " "] });

        Assert.Equal(["targetAnswers[1]"], errors.Keys);
    }

    [Fact]
    public void Validate_MoreAnswersThanTargets_IsRefused()
    {
        Assert.Contains("targetAnswers", Errors(Complete() with { TargetAnswers = ["a", "b", "c"] }).Keys);
    }

    [Theory]
    [InlineData(0, 5, "currentTrl")]
    [InlineData(10, 9, "currentTrl")]
    [InlineData(5, 10, "deliveryTrl")]
    [InlineData(7, 6, "deliveryTrl")]
    public void Validate_TrlOutOfRangeOrDeliveryBelowCurrent_IsRefused(int current, int delivery, string field)
    {
        Assert.Contains(field, Errors(Complete() with { CurrentTrl = current, DeliveryTrl = delivery }).Keys);
    }

    [Fact]
    public void Validate_DeliveryTrlEqualToCurrent_IsAccepted()
    {
        Assert.True(ProposalRules.Validate(Complete() with { CurrentTrl = 7, DeliveryTrl = 7 }, Targets, Deadline, complete: true).IsSuccess);
    }

    [Fact]
    public void Validate_SharesNotAddingUpTo100_IsRefused()
    {
        var input = Complete();
        var errors = Errors(input with { Milestones = [input.Milestones[0], input.Milestones[1] with { PaymentShare = 50m }] });

        Assert.Equal(["milestones"], errors.Keys);
        Assert.Contains("100%", errors["milestones"][0]);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    [InlineData(100.5)]
    [InlineData(33.333)]
    public void Validate_ShareOutsideZeroToHundredOrTooPrecise_IsRefused(double share)
    {
        var input = Complete();
        var errors = Errors(input with { Milestones = [input.Milestones[0] with { PaymentShare = (decimal)share }, input.Milestones[1]] });

        Assert.Contains("milestones[0].paymentShare", errors.Keys);
    }

    [Fact]
    public void Validate_SharesWithDecimals_AddingUpTo100_AreAccepted()
    {
        var input = Complete();
        var third = input.Milestones[0] with { PaymentShare = 33.33m };
        var last = input.Milestones[1] with { PaymentShare = 33.34m };

        Assert.True(ProposalRules.Validate(input with { Milestones = [third, third with { Name = "Second" }, last] }, Targets, Deadline, true).IsSuccess);
    }

    [Fact]
    public void Validate_MilestoneOnOrBeforeTheDeadline_IsRefused()
    {
        var input = Complete();
        var errors = Errors(input with { Milestones = [input.Milestones[0] with { DueOn = new DateOnly(2031, 6, 30) }, input.Milestones[1]] });

        Assert.Equal(["milestones[0].dueOn"], errors.Keys);
    }

    [Fact]
    public void Validate_BlankMilestoneRows_AreIgnored()
    {
        var input = Complete();
        var result = ProposalRules.Validate(input with { Milestones = [new MilestoneInput(), .. input.Milestones, new MilestoneInput()] }, Targets, Deadline, true);

        Assert.True(result.IsSuccess, result.Error?.Message);
        Assert.Equal(2, result.Value!.Technical.Milestones.Count);
    }

    [Fact]
    public void Validate_FourPartners_AreAcceptedAndFiveAreRefused()
    {
        Assert.True(ProposalRules.Validate(Complete() with { Partners = ["a", "b", "c", "d"] }, Targets, Deadline, true).IsSuccess);

        Assert.Equal(["partners"], Errors(Complete() with { Partners = ["a", "b", "c", "d", "e"] }).Keys);
    }

    [Fact]
    public void Validate_SamePartnerTwice_IsRefused()
    {
        Assert.Equal(["partners"], Errors(Complete() with { Partners = ["ven-a", "VEN-A "] }).Keys);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(10.005)]
    public void Validate_PriceNotPositiveOrTooPrecise_IsRefused(double amount)
    {
        Assert.Equal(["priceAmount"], Errors(Complete() with { PriceAmount = (decimal)amount }).Keys);
    }

    [Fact]
    public void Validate_BadCurrency_IsRefused()
    {
        Assert.Equal(["priceCurrency"], Errors(Complete() with { PriceCurrency = "RMB1" }).Keys);
    }

    [Fact]
    public void AcceptsChanges_BeforeTheDeadline_OnAPublishedChallenge()
    {
        Assert.Null(ProposalRules.AcceptsChanges(ChallengeStatus.Published, Deadline, Deadline.AddTicks(-1)));
    }

    [Fact]
    public void AcceptsChanges_AtOrAfterTheDeadline_IsAConflict()
    {
        var atDeadline = ProposalRules.AcceptsChanges(ChallengeStatus.Published, Deadline, Deadline);
        var closed = ProposalRules.AcceptsChanges(ChallengeStatus.Closed, Deadline, Deadline.AddDays(1));

        Assert.Equal(ErrorKind.Conflict, atDeadline!.Kind);
        Assert.Equal(ProposalRules.DeadlinePassed, atDeadline.Message);
        Assert.Equal(ProposalRules.DeadlinePassed, closed!.Message);
    }

    [Theory]
    [InlineData(ChallengeStatus.Draft)]
    [InlineData(ChallengeStatus.Submitted)]
    [InlineData(ChallengeStatus.Withdrawn)]
    public void AcceptsChanges_OnAChallengeThatIsNotPublished_IsAConflict(string status)
    {
        Assert.Equal(ProposalRules.NotOpen, ProposalRules.AcceptsChanges(status, Deadline, Deadline.AddDays(-1))!.Message);
    }

    [Fact]
    public void MayStart_WithALiveProposal_IsAConflict()
    {
        Assert.Null(ProposalRules.MayStart(hasLiveProposal: false));
        Assert.Equal(ErrorKind.Conflict, ProposalRules.MayStart(hasLiveProposal: true)!.Kind);
    }

    [Fact]
    public void IsUnsealed_FromTheDeadlineOn()
    {
        Assert.False(ProposalRules.IsUnsealed(Deadline, Deadline.AddSeconds(-1)));
        Assert.True(ProposalRules.IsUnsealed(Deadline, Deadline));
    }

    [Fact]
    public void Fingerprint_ChangesWithAnyPartOfTheSealedContent()
    {
        var technical = ProposalSeal.Serialize(new TechnicalEnvelope { Approach = "A" });
        var price = new PriceEnvelope { Amount = 100m, Currency = "CNY", PaymentTerms = "30 days" };
        var at = new DateTimeOffset(2031, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var salt = ProposalSeal.NewSalt();
        var fingerprint = ProposalSeal.Fingerprint(1, 1, 2, 3, at, technical, price, salt);

        Assert.Matches("^[0-9a-f]{64}$", fingerprint);
        Assert.Equal(fingerprint, ProposalSeal.Fingerprint(1, 1, 2, 3, at, technical, price with { Amount = 100.00m }, salt));
        Assert.NotEqual(fingerprint, ProposalSeal.Fingerprint(1, 2, 2, 3, at, technical, price, salt));
        Assert.NotEqual(fingerprint, ProposalSeal.Fingerprint(1, 1, 2, 3, at, technical, price with { Amount = 101m }, salt));
        Assert.NotEqual(fingerprint, ProposalSeal.Fingerprint(1, 1, 2, 3, at.AddSeconds(1), technical, price, salt));
        Assert.NotEqual(fingerprint, ProposalSeal.Fingerprint(1, 1, 2, 3, at, ProposalSeal.Serialize(new TechnicalEnvelope { Approach = "B" }), price, salt));
    }

    [Fact]
    public void Fingerprint_WithoutTheSalt_CannotBeRebuiltFromTheContentAndPrice()
    {
        var technical = ProposalSeal.Serialize(new TechnicalEnvelope { Approach = "A" });
        var price = new PriceEnvelope { Amount = 100m, Currency = "CNY", PaymentTerms = "30 days" };
        var at = new DateTimeOffset(2031, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var salt = ProposalSeal.NewSalt();

        Assert.Matches("^[0-9a-f]{64}$", salt);
        Assert.NotEqual(salt, ProposalSeal.NewSalt());
        Assert.NotEqual(ProposalSeal.Fingerprint(1, 1, 2, 3, at, technical, price, salt), ProposalSeal.Fingerprint(1, 1, 2, 3, at, technical, price, salt: null));
        Assert.NotEqual(ProposalSeal.Fingerprint(1, 1, 2, 3, at, technical, price, salt), ProposalSeal.Fingerprint(1, 1, 2, 3, at, technical, price, ProposalSeal.NewSalt()));
    }
}
