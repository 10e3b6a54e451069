using Marketplace.Core.Accounts;

namespace Marketplace.Core.Challenges;

/// <summary>Who acts: the signed-in user, their roles and organisations. Handlers decide permissions from this.</summary>
public sealed record Actor(long UserId, IReadOnlyList<long> OrganisationIds, IReadOnlyList<string> Roles)
{
    public bool IsProgrammeStaff => Roles.Contains(Accounts.Roles.Officer) || Roles.Contains(Accounts.Roles.Admin);

    public bool IsEnterprise => Roles.Contains(Accounts.Roles.Enterprise);

    public bool IsVendor => Roles.Contains(Accounts.Roles.Vendor);

    public bool BelongsTo(long organisationId) => OrganisationIds.Contains(organisationId);
}

/// <summary>A row of an enterprise's "my challenges" list or the officers' screening queue.</summary>
public sealed record ChallengeWorkItem
{
    public long Id { get; init; }
    public string Title { get; init; } = "";
    public string Industry { get; init; } = "";
    public string Status { get; init; } = "";
    public string Visibility { get; init; } = "public";
    public string? StatusReason { get; init; }
    public DateTimeOffset DeadlineAt { get; init; }
    public DateTimeOffset? PublishedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    public int RowVersion { get; init; }
    public long EnterpriseId { get; init; }
    public string EnterpriseName { get; init; } = "";
    /// <summary>The enterprise's English name, where it gave one (English pages show it).</summary>
    public string? EnterpriseNameEn { get; init; }
    public int OpenQuestions { get; init; }
}

/// <summary>One entry of the audit log: who did what, when, why, and the states before and after.</summary>
public sealed record AuditEntry
{
    public long Id { get; init; }
    public long ChallengeId { get; init; }
    public long? ActorUserId { get; init; }
    public string? ActorName { get; init; }
    public string Action { get; init; } = "";
    public string? FromStatus { get; init; }
    public string? ToStatus { get; init; }
    public string? Reason { get; init; }
    public DateTimeOffset OccurredAt { get; init; }
}

/// <summary>A published version of a challenge's text.</summary>
public sealed record ChallengeVersion
{
    public int VersionNumber { get; init; }
    public string Content { get; init; } = "";
    public string? ChangeNote { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
}

/// <summary>
/// A clarification question as a viewer may see it. There is deliberately no asker here: only
/// <see cref="AskedByMe"/> tells the asking organisation its own questions apart.
/// </summary>
public sealed record ClarificationView
{
    public long Id { get; init; }
    public long ChallengeId { get; init; }
    public string Question { get; init; } = "";
    public DateTimeOffset AskedAt { get; init; }
    public string? Answer { get; init; }
    public DateTimeOffset? AnsweredAt { get; init; }
    public bool AskedByMe { get; init; }

    public bool IsAnswered => Answer is not null;
}

/// <summary>The NDA terms a vendor accepts in the app before reading a confidential challenge.</summary>
public static class NdaTerms
{
    public const string Version = "2026-1";
}
