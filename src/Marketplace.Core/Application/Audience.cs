namespace Marketplace.Core.Application;

/// <summary>
/// Who a notification goes to, as data: the outbox resolves an audience to people (each in their own language)
/// inside the same transaction as the change it reports.
/// </summary>
public abstract record Audience
{
    private Audience()
    {
    }

    /// <summary>Members of the enterprise that posted the challenge.</summary>
    public static Audience EnterpriseOf(long challengeId) => new EnterpriseOfChallenge(challengeId);

    /// <summary>Members of the vendors following the challenge: NDA accepted, question asked, or a live proposal.</summary>
    public static Audience FollowersOf(long challengeId) => new FollowersOfChallenge(challengeId);

    /// <summary>Members of the vendors invited to the challenge by its enterprise.</summary>
    public static Audience InvitedVendorsOf(long challengeId) => new InvitedVendorsOfChallenge(challengeId);

    /// <summary>Members of one organisation.</summary>
    public static Audience MembersOf(long organisationId) => new MembersOfOrganisation(organisationId);

    /// <summary>Every programme officer.</summary>
    public static Audience Officers { get; } = new AllOfficers();

    /// <summary>Named people.</summary>
    public static Audience Users(IReadOnlyList<long> userIds) => new NamedUsers(userIds);

    public sealed record EnterpriseOfChallenge(long ChallengeId) : Audience;

    public sealed record FollowersOfChallenge(long ChallengeId) : Audience;

    public sealed record InvitedVendorsOfChallenge(long ChallengeId) : Audience;

    public sealed record MembersOfOrganisation(long OrganisationId) : Audience;

    public sealed record AllOfficers : Audience;

    public sealed record NamedUsers(IReadOnlyList<long> UserIds) : Audience;
}
