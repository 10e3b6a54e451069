using Dapper;
using Marketplace.Core.Challenges;
using Marketplace.Core.Features.Challenges;
using Marketplace.Core.Common;
using Marketplace.Core.Application;
using Marketplace.Data.Audit;

namespace Marketplace.Data.Challenges;

/// <summary>
/// The negative list (负面清单): read for screening, edited by officers and administrators. Every edit writes an entry
/// to the audit log (about no single challenge) in the same transaction: who changed which entry, from what, to what.
/// </summary>
public sealed class NegativeListStore(DbConnectionFactory connections, TimeProvider clock, AuditLog audit) : INegativeListScreen
{
    public const string EntryAdded = "negative_list_added";
    public const string EntryChanged = "negative_list_changed";

    private const string Select = """
        SELECT id AS Id, phrase AS Phrase, label_zh AS LabelZh, label_en AS LabelEn, is_active AS IsActive, updated_at AS UpdatedAt
        FROM negative_list_entries
        """;

    public async Task<IReadOnlyList<NegativeListEntry>> AllAsync(bool activeOnly, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<NegativeListEntry>(new CommandDefinition(
            Select + (activeOnly ? " WHERE is_active = @True" : "") + " ORDER BY label_en, id", new { True = true }, cancellationToken: cancellationToken));
        return rows.ToList();
    }

    /// <summary>Flags the active entries find in a challenge's text.</summary>
    public async Task<IReadOnlyList<NegativeListFlag>> ScreenAsync(ChallengeDetail challenge, CancellationToken cancellationToken) =>
        NegativeListScreen.Check(TextOf(challenge), await AllAsync(activeOnly: true, cancellationToken));

    public static string TextOf(ChallengeDetail c) => ChallengeDraftRules.ScreeningText(c.Title, c.Scenario, c.CurrentProcess, c.DataAvailable, c.Constraints,
        c.ExpectedOutcome, c.AcceptanceTargets.SelectMany(t => new[] { t.Metric, t.Threshold, t.TestMethod }));

    public async Task<Result<long>> AddAsync(long userId, string? phrase, string? labelZh, string? labelEn, CancellationToken cancellationToken)
    {
        var errors = NegativeListScreen.Validate(phrase, labelZh, labelEn);
        if (!errors.IsEmpty)
        {
            return errors.ToError();
        }

        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var entry = new { Phrase = phrase!.Trim(), LabelZh = labelZh!.Trim(), LabelEn = labelEn!.Trim(), True = true, Now = now, UserId = userId };
        var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            connections.Dialect.InsertReturningId("negative_list_entries", "phrase, label_zh, label_en, is_active, created_at, updated_at, updated_by",
                "@Phrase, @LabelZh, @LabelEn, @True, @Now, @Now, @UserId"),
            entry, transaction, cancellationToken: cancellationToken));
        await audit.AppendAsync(connection, transaction,
            [new AuditRecord(null, userId, EntryAdded, null, "active", $"#{id} \"{entry.Phrase}\" ({entry.LabelZh} / {entry.LabelEn})", now)], cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return id;
    }

    public async Task<Result<bool>> UpdateAsync(long userId, long id, string? phrase, string? labelZh, string? labelEn, bool isActive, CancellationToken cancellationToken)
    {
        var errors = NegativeListScreen.Validate(phrase, labelZh, labelEn);
        if (!errors.IsEmpty)
        {
            return errors.ToError();
        }

        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var before = await connection.QuerySingleOrDefaultAsync<NegativeListEntry>(new CommandDefinition(
            Select + " WHERE id = @Id", new { Id = id }, transaction, cancellationToken: cancellationToken));
        if (before is null)
        {
            return Error.NotFound($"There is no negative-list entry {id}.");
        }

        var now = clock.GetUtcNow();
        var after = new { Id = id, Phrase = phrase!.Trim(), LabelZh = labelZh!.Trim(), LabelEn = labelEn!.Trim(), IsActive = isActive, Now = now, UserId = userId };
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE negative_list_entries SET phrase = @Phrase, label_zh = @LabelZh, label_en = @LabelEn, is_active = @IsActive, updated_at = @Now, updated_by = @UserId WHERE id = @Id",
            after, transaction, cancellationToken: cancellationToken));
        static string State(bool active) => active ? "active" : "inactive";
        await audit.AppendAsync(connection, transaction,
            [new AuditRecord(null, userId, EntryChanged, State(before.IsActive), State(isActive),
                $"#{id} \"{before.Phrase}\" ({before.LabelZh} / {before.LabelEn}) → \"{after.Phrase}\" ({after.LabelZh} / {after.LabelEn})", now)], cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }
}
