namespace Marketplace.Core.Challenges;

/// <summary>
/// Where a challenge is in its life. Stored as the lower-case snake_case name. The lifecycle issue adds the
/// state machine that moves between these; the foundation only reads them.
/// </summary>
public static class ChallengeStatus
{
    public const string Draft = "draft";
    public const string Submitted = "submitted";
    public const string Returned = "returned";
    public const string Rejected = "rejected";
    public const string Published = "published";
    public const string Closed = "closed";
    public const string UnderReview = "under_review";
    public const string Awarded = "awarded";
    public const string NotAwarded = "not_awarded";
    public const string InDelivery = "in_delivery";
    public const string Completed = "completed";
    public const string Failed = "failed";
    public const string Withdrawn = "withdrawn";

    /// <summary>States in which a challenge is on the public list (a public record once it has been published).</summary>
    public static IReadOnlyList<string> PubliclyListed { get; } =
        [Published, Closed, UnderReview, Awarded, NotAwarded, InDelivery, Completed, Failed];
}
