namespace Marketplace.Data.Seeding;

// The shape of seeds/demo/story.json (documented in docs/seeds.md): challenges played from draft to a later state
// through the use cases, on a clock that starts in the past. Every "day" is counted from the day of seeding (0 = that
// day, -30 = thirty days before); every step happens at a fixed hour (UTC) of its day.

public sealed record SeedStory(IReadOnlyList<SeedChapter> Chapters, IReadOnlyList<SeedQuestion>? Questions)
{
    /// <summary>The states a chapter can end in, in the order of the lifecycle.</summary>
    public static IReadOnlyList<string> States { get; } = ["bids-in", "under-review", "awarded", "in-delivery", "completed", "failed"];

    public IEnumerable<string> Problems(DemoSeedData data)
    {
        var challenges = data.Challenges.Select(c => c.Key).ToHashSet(StringComparer.Ordinal);
        var vendors = data.Vendors.Select(v => v.Key).ToHashSet(StringComparer.Ordinal);
        var reviewers = data.Programme.Reviewers.Select(r => r.Email).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var chapter in Chapters)
        {
            var name = $"story chapter '{chapter.Challenge}'";
            if (!challenges.Contains(chapter.Challenge))
            {
                yield return $"{name} names an unknown challenge";
            }

            if (!States.Contains(chapter.State))
            {
                yield return $"{name} ends in unknown state '{chapter.State}' (one of {string.Join(", ", States)})";
            }

            if (chapter.Deadline <= chapter.Published || chapter.Deadline >= 0)
            {
                yield return $"{name}: the deadline must fall after publication and before the day of seeding";
            }

            foreach (var vendor in chapter.Proposals.Select(p => p.Vendor).Concat((chapter.Questions ?? []).Select(q => q.Vendor))
                         .Concat(chapter.Reviews?.Select(r => r.Vendor) ?? []).Concat(chapter.Award?.Winners ?? []).Where(v => !vendors.Contains(v)))
            {
                yield return $"{name} names unknown vendor '{vendor}'";
            }

            foreach (var reviewer in (chapter.Reviews ?? []).Select(r => r.Reviewer).Where(r => !reviewers.Contains(r)))
            {
                yield return $"{name} names unknown reviewer '{reviewer}'";
            }

            if (chapter.Award is { } award && award.Winners.Any(w => chapter.Proposals.All(p => p.Vendor != w)))
            {
                yield return $"{name}: every winner must have a proposal";
            }
        }

        foreach (var question in Questions ?? [])
        {
            if (!challenges.Contains(question.Challenge) || !vendors.Contains(question.Vendor))
            {
                yield return $"story question on '{question.Challenge}' names an unknown challenge or vendor";
            }
        }
    }
}

/// <summary>One challenge's story: published, bid on, reviewed, decided and delivered as far as <see cref="State"/>.</summary>
public sealed record SeedChapter(
    string Challenge,
    string State,
    int Published,
    int Deadline,
    IReadOnlyList<SeedProposal> Proposals,
    IReadOnlyList<SeedQuestion>? Questions,
    int? ReviewStarts,
    IReadOnlyList<SeedReview>? Reviews,
    SeedAward? Award,
    SeedDelivery? Delivery,
    SeedFailure? Failure,
    SeedPortfolio? Portfolio);

public sealed record SeedMilestone(string Name, int Due, string Deliverable, decimal Share);

public sealed record SeedProposal(
    string Vendor, int Day, string Approach, IReadOnlyList<string> TargetAnswers, int CurrentTrl, int DeliveryTrl, string Team,
    IReadOnlyList<SeedMilestone> Milestones, decimal Price, string Currency, string PaymentTerms);

/// <summary>A vendor's question; <see cref="Answer"/> null leaves it waiting for the enterprise. <see cref="Challenge"/> only outside a chapter.</summary>
public sealed record SeedQuestion(string Vendor, int Day, string Question, string? Answer, int? AnswerDay, string Challenge = "");

/// <summary>
/// A reviewer on one proposal: assigned on the chapter's ReviewStarts day; accepted on <see cref="Day"/> unless
/// <see cref="Accept"/> is false; scored that day (one score and comment per rubric criterion) when scores are given.
/// </summary>
public sealed record SeedReview(string Reviewer, string Vendor, int? Day, bool Accept, IReadOnlyList<int>? Scores, IReadOnlyList<string>? Comments);

/// <summary>Technical scoring closes and the decision is recorded on <see cref="Day"/>; every other bidder gets its feedback.</summary>
public sealed record SeedAward(int Day, IReadOnlyList<string> Winners, string Reason, IReadOnlyDictionary<string, string> Feedback);

/// <summary>Delivery starts (contract signed) on <see cref="Day"/>; the steps of each milestone of the winner's plan, by position.</summary>
public sealed record SeedDelivery(int Day, string Note, IReadOnlyList<IReadOnlyList<SeedMilestoneStep>> Milestones);

/// <summary>"evidence" (by the vendor, with links), "accept" (by the enterprise, naming the targets met, 1-based) or "reject".</summary>
public sealed record SeedMilestoneStep(string Step, int Day, string Text, IReadOnlyList<string>? Links, IReadOnlyList<int>? TargetsMet);

public sealed record SeedFailure(int Day, string Category, string Cause, string Lessons);

public sealed record SeedPortfolio(int Day, bool NameClient);
