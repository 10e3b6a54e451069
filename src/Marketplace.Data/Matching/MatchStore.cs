using System.Data.Common;
using System.Text.Json;
using Dapper;
using Marketplace.Core.Application;
using Marketplace.Core.Challenges;
using Marketplace.Core.Features.Matching;
using Marketplace.Core.Matching;
using Marketplace.Data.Application;
using Marketplace.Matching;

namespace Marketplace.Data.Matching;

/// <summary>
/// The matcher's data: what it reads to build its index (challenges open for proposals, vendor profiles with
/// their cases), the runs it records, the suggestions it stores for the pages, and people's decisions.
/// </summary>
public sealed class MatchStore(DbConnectionFactory connections, TimeProvider clock) : IMatchDecisionStore
{
    /// <summary>
    /// The most ids one statement carries. SQL Server takes at most 2,100 parameters per statement (SQLite 32,766), and
    /// a refresh may read every vendor: longer lists are read in slices of this size.
    /// </summary>
    public const int IdsPerStatement = 500;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>A document's identity and the time it last changed, to find what an index must update.</summary>
    public sealed record Stamp
    {
        public long Id { get; init; }
        public DateTimeOffset ChangedAt { get; init; }
    }

    /// <summary>Challenges vendors can still answer: published with the deadline ahead.</summary>
    public async Task<IReadOnlyList<Stamp>> OpenChallengeStampsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<Stamp>(new CommandDefinition(
            "SELECT id AS Id, updated_at AS ChangedAt FROM challenges WHERE status = @Published AND deadline_at > @Now",
            new { Published = ChallengeStatus.Published, Now = clock.GetUtcNow() }, cancellationToken: cancellationToken));
        return rows.ToList();
    }

    /// <summary>Every vendor with a profile; a vendor changes when its profile or any case does.</summary>
    public async Task<IReadOnlyList<Stamp>> VendorStampsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var profiles = (await connection.QueryAsync<Stamp>(new CommandDefinition(
            "SELECT organisation_id AS Id, updated_at AS ChangedAt FROM vendor_profiles", cancellationToken: cancellationToken))).ToList();
        var cases = (await connection.QueryAsync<Stamp>(new CommandDefinition(
            "SELECT organisation_id AS Id, MAX(created_at) AS ChangedAt FROM portfolio_cases GROUP BY organisation_id", cancellationToken: cancellationToken)))
            .ToDictionary(s => s.Id, s => s.ChangedAt);
        return profiles.Select(p => cases.TryGetValue(p.Id, out var latest) && latest > p.ChangedAt ? p with { ChangedAt = latest } : p).ToList();
    }

    /// <summary>
    /// Challenges as the matcher reads them. <paramref name="fullText"/> false gives what anyone may read: a
    /// confidential challenge is then only its title and tags, so no vendor-facing explanation can quote it.
    /// </summary>
    public async Task<IReadOnlyList<ChallengeDocument>> ChallengeDocumentsAsync(IReadOnlyCollection<long> ids, bool fullText, CancellationToken cancellationToken)
    {
        var documents = new List<ChallengeDocument>(ids.Count);
        await using var connection = await connections.OpenAsync(cancellationToken);
        foreach (var slice in ids.Distinct().Chunk(IdsPerStatement))
        {
            documents.AddRange(await ChallengeDocumentsAsync(connection, slice, fullText, cancellationToken));
        }

        return documents;
    }

    private async Task<IEnumerable<ChallengeDocument>> ChallengeDocumentsAsync(DbConnection connection, long[] idList, bool fullText, CancellationToken cancellationToken)
    {
        var rows = await connection.QueryAsync<ChallengeRow>(new CommandDefinition(
            $"""
            SELECT id AS Id, title AS Title, scenario AS Scenario, current_process AS CurrentProcess, data_available AS DataAvailable,
                   constraints_text AS Constraints, expected_outcome AS ExpectedOutcome, language AS Language, target_trl AS TargetTrl,
                   visibility AS Visibility
            FROM challenges WHERE {connections.Dialect.InList("id", "@Ids")}
            """, new { Ids = idList }, cancellationToken: cancellationToken));
        var targets = (await connection.QueryAsync<TargetRow>(new CommandDefinition(
            $"SELECT challenge_id AS ChallengeId, metric AS Metric, threshold AS Threshold, test_method AS TestMethod FROM challenge_acceptance_targets WHERE {connections.Dialect.InList("challenge_id", "@Ids")} ORDER BY challenge_id, position",
            new { Ids = idList }, cancellationToken: cancellationToken))).ToLookup(t => t.ChallengeId);
        var tags = (await connection.QueryAsync<TagRow>(new CommandDefinition(
            $"SELECT challenge_id AS OwnerId, tag AS Tag FROM challenge_tags WHERE {connections.Dialect.InList("challenge_id", "@Ids")}",
            new { Ids = idList }, cancellationToken: cancellationToken))).ToLookup(t => t.OwnerId, t => t.Tag);

        return rows.Select(row =>
        {
            var open = fullText || row.Visibility == "public";
            var description = open
                ? string.Join("\n", new[] { row.Scenario, row.CurrentProcess, row.DataAvailable, row.Constraints, row.ExpectedOutcome }.Where(t => !string.IsNullOrWhiteSpace(t)))
                : "";
            return new ChallengeDocument(ChallengeKey(row.Id), row.Title, description)
            {
                AcceptanceTargets = open ? targets[row.Id].Select(t => $"{t.Metric} {t.Threshold} {t.TestMethod}").ToList() : [],
                Tags = tags[row.Id].ToList(),
                Language = row.Language,
                TargetTrl = row.TargetTrl,
            };
        });
    }

    public async Task<IReadOnlyList<VendorDocument>> VendorDocumentsAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken)
    {
        var documents = new List<VendorDocument>(ids.Count);
        await using var connection = await connections.OpenAsync(cancellationToken);
        foreach (var slice in ids.Distinct().Chunk(IdsPerStatement))
        {
            documents.AddRange(await VendorDocumentsAsync(connection, slice, cancellationToken));
        }

        return documents;
    }

    private async Task<IEnumerable<VendorDocument>> VendorDocumentsAsync(DbConnection connection, long[] idList, CancellationToken cancellationToken)
    {
        var rows = await connection.QueryAsync<VendorRow>(new CommandDefinition(
            $"""
            SELECT o.id AS Id, o.name AS Name, p.summary AS Summary, p.language AS Language, p.max_trl_delivered AS MaxTrlDelivered
            FROM organisations o JOIN vendor_profiles p ON p.organisation_id = o.id
            WHERE {connections.Dialect.InList("o.id", "@Ids")}
            """, new { Ids = idList }, cancellationToken: cancellationToken));
        var cases = (await connection.QueryAsync<CaseRow>(new CommandDefinition(
            $"SELECT organisation_id AS OwnerId, title AS Title, body AS Body, outcome AS Outcome FROM portfolio_cases WHERE {connections.Dialect.InList("organisation_id", "@Ids")} ORDER BY organisation_id, id",
            new { Ids = idList }, cancellationToken: cancellationToken))).ToLookup(c => c.OwnerId);
        var capabilities = (await connection.QueryAsync<TagRow>(new CommandDefinition(
            $"SELECT organisation_id AS OwnerId, tag AS Tag FROM vendor_capabilities WHERE {connections.Dialect.InList("organisation_id", "@Ids")}",
            new { Ids = idList }, cancellationToken: cancellationToken))).ToLookup(t => t.OwnerId, t => t.Tag);
        // Tags of portfolio cases (delivered projects carry their challenge's tags) count as the vendor's own.
        var caseTags = (await connection.QueryAsync<TagRow>(new CommandDefinition(
            $"SELECT DISTINCT pc.organisation_id AS OwnerId, t.tag AS Tag FROM portfolio_case_tags t JOIN portfolio_cases pc ON pc.id = t.case_id WHERE {connections.Dialect.InList("pc.organisation_id", "@Ids")}",
            new { Ids = idList }, cancellationToken: cancellationToken))).ToLookup(t => t.OwnerId, t => t.Tag);

        return rows.Select(row => new VendorDocument(VendorKey(row.Id), row.Name, row.Summary)
        {
            Portfolio = cases[row.Id].Select(c => new PortfolioCase(c.Title, string.IsNullOrWhiteSpace(c.Outcome) ? c.Body : c.Body + "\n" + c.Outcome)).ToList(),
            Tags = capabilities[row.Id].Union(caseTags[row.Id], StringComparer.Ordinal).ToList(),
            Language = row.Language,
            MaxTrlDelivered = row.MaxTrlDelivered,
        });
    }

    /// <summary>Reviewers as the matcher reads them: declared expertise and tags (past reviews join once reviewing exists).</summary>
    public async Task<IReadOnlyList<ReviewerDocument>> ReviewerDocumentsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<ReviewerRow>(new CommandDefinition(
            "SELECT r.user_id AS Id, u.display_name AS Name, r.expertise AS Expertise, r.tags AS Tags, r.updated_at AS ChangedAt FROM reviewer_profiles r JOIN users u ON u.id = r.user_id",
            cancellationToken: cancellationToken));
        return rows.Select(r => new ReviewerDocument(ReviewerKey(r.Id), r.Name, r.Expertise)
        {
            Tags = r.Tags.Split(' ', StringSplitOptions.RemoveEmptyEntries),
        }).ToList();
    }

    /// <summary>
    /// Reviewers with a conflict of interest in a proposal: members of the bidding organisation or of any
    /// consortium partner. Conflicts are data applied before ranking, never a filter on the results.
    /// </summary>
    public async Task<IReadOnlySet<string>> ConflictedReviewerKeysAsync(IReadOnlyCollection<long> organisationIds, CancellationToken cancellationToken)
    {
        if (organisationIds.Count == 0)
        {
            return new HashSet<string>();
        }

        await using var connection = await connections.OpenAsync(cancellationToken);
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var slice in organisationIds.Distinct().Chunk(IdsPerStatement))
        {
            var users = await connection.QueryAsync<long>(new CommandDefinition(
                $"SELECT user_id FROM memberships WHERE {connections.Dialect.InList("organisation_id", "@Ids")}",
                new { Ids = slice }, cancellationToken: cancellationToken));
            keys.UnionWith(users.Select(ReviewerKey));
        }

        return keys;
    }

    public static string ReviewerKey(long userId) => "r" + userId.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static string ChallengeKey(long id) => "c" + id.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static string VendorKey(long id) => "v" + id.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static long IdOf(string key) => long.Parse(key.AsSpan(1), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A run without a heartbeat for this long is taken as dead (its process stopped without recording the end).</summary>
    public static readonly TimeSpan RunPresumedDeadAfter = TimeSpan.FromMinutes(15);

    public const string InterruptedMessage = "Interrupted: the run stopped without recording its end (the process was stopped?). A later run replaced it.";

    /// <summary>
    /// Records a new run. Runs still 'running' with no heartbeat for <see cref="RunPresumedDeadAfter"/> are ended as
    /// failed first: their process died mid-run (a refresh reports progress far more often). Runs of another live
    /// instance keep their state.
    /// </summary>
    public async Task<long> StartRunAsync(string reason, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var connection = await connections.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE match_runs SET status = 'failed', message = @Message, finished_at = @Now
            WHERE status = 'running' AND COALESCE(heartbeat_at, started_at) < @Stale
            """, new { Message = InterruptedMessage, Now = now, Stale = now - RunPresumedDeadAfter }, cancellationToken: cancellationToken));
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            connections.Dialect.InsertReturningId("match_runs", "reason, status, started_at, heartbeat_at", "@Reason, 'running', @Now, @Now"),
            new { Reason = reason, Now = now }, cancellationToken: cancellationToken));
    }

    public async Task FinishRunAsync(long runId, string status, int challenges, int vendors, string ranker, string? message, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE match_runs SET status = @Status, challenges = @Challenges, vendors = @Vendors, progress = @Challenges,
                   ranker = @Ranker, message = @Message, finished_at = @Now, heartbeat_at = @Now
            WHERE id = @Id
            """, new { Id = runId, Status = status, Challenges = challenges, Vendors = vendors, Ranker = ranker, Message = message, Now = clock.GetUtcNow() },
            cancellationToken: cancellationToken));
    }

    public async Task ReportProgressAsync(long runId, int progress, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE match_runs SET progress = @Progress, heartbeat_at = @Now WHERE id = @Id", new { Id = runId, Progress = progress, Now = clock.GetUtcNow() },
            cancellationToken: cancellationToken));
    }

    public async Task<MatchRun?> LatestRunAsync(CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.QueryFirstOrDefaultAsync<MatchRun>(new CommandDefinition(
            """
            SELECT id AS Id, reason AS Reason, status AS Status, challenges AS Challenges, vendors AS Vendors, progress AS Progress,
                   ranker AS Ranker, message AS Message, started_at AS StartedAt, finished_at AS FinishedAt
            FROM match_runs ORDER BY id DESC
            """ + " " + connections.Dialect.Page, new { Skip = 0, Take = 1 }, cancellationToken: cancellationToken));
    }

    /// <summary>Replaces a challenge's stored suggestions in one transaction, so a page never sees half a list.</summary>
    public async Task ReplaceSuggestionsAsync(long challengeId, IReadOnlyList<Match> vendors, long runId, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM match_results WHERE challenge_id = @ChallengeId", new { ChallengeId = challengeId }, transaction, cancellationToken: cancellationToken));
        var now = clock.GetUtcNow();
        foreach (var match in vendors)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO match_results (challenge_id, vendor_id, rank, score, explanation, run_id, computed_at)
                VALUES (@ChallengeId, @VendorId, @Rank, @Score, @Explanation, @RunId, @Now)
                """,
                new { ChallengeId = challengeId, VendorId = IdOf(match.Id), match.Rank, match.Score, Explanation = Serialize(match.Explanation), RunId = runId, Now = now },
                transaction, cancellationToken: cancellationToken));
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Removes suggestions of challenges that are no longer open.</summary>
    public async Task RemoveSuggestionsExceptAsync(IReadOnlyCollection<long> openChallengeIds, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var stored = (await connection.QueryAsync<long>(new CommandDefinition(
            "SELECT DISTINCT challenge_id FROM match_results", cancellationToken: cancellationToken))).ToList();
        var stale = stored.Where(id => !openChallengeIds.Contains(id)).ToList();
        foreach (var slice in stale.Chunk(IdsPerStatement))
        {
            await connection.ExecuteAsync(new CommandDefinition(
                $"DELETE FROM match_results WHERE {connections.Dialect.InList("challenge_id", "@Ids")}", new { Ids = slice }, cancellationToken: cancellationToken));
        }
    }

    public async Task<IReadOnlyList<VendorSuggestion>> SuggestionsForChallengeAsync(long challengeId, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<SuggestionRow>(new CommandDefinition(
            """
            SELECT r.vendor_id AS VendorId, o.slug AS VendorSlug, o.name AS VendorName, o.name_en AS VendorNameEn, o.city AS VendorCity, r.rank AS Rank, r.score AS Score,
                   r.explanation AS Explanation,
                   (SELECT s.kind FROM match_signals s WHERE s.challenge_id = r.challenge_id AND s.vendor_id = r.vendor_id
                    AND s.id = (SELECT MAX(s2.id) FROM match_signals s2 WHERE s2.challenge_id = r.challenge_id AND s2.vendor_id = r.vendor_id)) AS LatestSignal
            FROM match_results r JOIN organisations o ON o.id = r.vendor_id
            WHERE r.challenge_id = @ChallengeId
            ORDER BY r.rank
            """, new { ChallengeId = challengeId }, cancellationToken: cancellationToken));
        return rows.Select(r => new VendorSuggestion
        {
            VendorId = r.VendorId,
            VendorSlug = r.VendorSlug,
            VendorName = r.VendorName,
            VendorNameEn = r.VendorNameEn,
            VendorCity = r.VendorCity,
            Rank = r.Rank,
            Score = r.Score,
            Reasons = Deserialize(r.Explanation),
            LatestSignal = r.LatestSignal,
        }).ToList();
    }

    public async Task RecordSignalAsync(long challengeId, long vendorId, string kind, long? userId, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await RecordSignalAsync(connection, null, challengeId, vendorId, kind, userId, cancellationToken);
    }

    /// <summary>Records a decision inside the caller's transaction (the award decision records "awarded" this way).</summary>
    public async Task RecordSignalAsync(DbConnection connection, DbTransaction? transaction, long challengeId, long vendorId, string kind, long? userId, CancellationToken cancellationToken) =>
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO match_signals (challenge_id, vendor_id, kind, user_id, created_at) VALUES (@ChallengeId, @VendorId, @Kind, @UserId, @Now)",
            new { ChallengeId = challengeId, VendorId = vendorId, Kind = kind, UserId = userId, Now = clock.GetUtcNow() },
            transaction, cancellationToken: cancellationToken));

    async Task<long?> IMatchDecisionStore.ChallengeOwnerAsync(IUnitOfWork work, long challengeId, CancellationToken cancellationToken) =>
        await DbUnitOfWork.Of(work).QuerySingleOrDefaultAsync<long?>(
            "SELECT enterprise_id FROM challenges WHERE id = @Id", new { Id = challengeId }, cancellationToken);

    async Task<bool> IMatchDecisionStore.IsSuggestedAsync(IUnitOfWork work, long challengeId, long vendorId, CancellationToken cancellationToken) =>
        await DbUnitOfWork.Of(work).ScalarAsync<int>(
            "SELECT COUNT(*) FROM match_results WHERE challenge_id = @ChallengeId AND vendor_id = @VendorId",
            new { ChallengeId = challengeId, VendorId = vendorId }, cancellationToken) > 0;

    Task IMatchDecisionStore.RecordSignalAsync(IUnitOfWork work, long challengeId, long vendorId, string kind, long? userId, DateTimeOffset at,
        CancellationToken cancellationToken) =>
        DbUnitOfWork.Of(work).ExecuteAsync(
            "INSERT INTO match_signals (challenge_id, vendor_id, kind, user_id, created_at) VALUES (@ChallengeId, @VendorId, @Kind, @UserId, @Now)",
            new { ChallengeId = challengeId, VendorId = vendorId, Kind = kind, UserId = userId, Now = at }, cancellationToken);

    /// <summary>Every decision, for training the re-ranker: (challenge, vendor, kind).</summary>
    public async Task<IReadOnlyList<(long ChallengeId, long VendorId, string Kind)>> SignalsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<SignalRow>(new CommandDefinition(
            "SELECT challenge_id AS ChallengeId, vendor_id AS VendorId, kind AS Kind FROM match_signals ORDER BY id", cancellationToken: cancellationToken));
        return rows.Select(r => (r.ChallengeId, r.VendorId, r.Kind)).ToList();
    }

    /// <summary>The counts of awards per vendor, a feature of the re-ranker.</summary>
    public async Task<IReadOnlyDictionary<long, int>> AwardCountsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<CountRow>(new CommandDefinition(
            "SELECT vendor_id AS Id, COUNT(*) AS Count FROM match_signals WHERE kind = 'awarded' GROUP BY vendor_id", cancellationToken: cancellationToken));
        return rows.ToDictionary(r => r.Id, r => r.Count);
    }

    private static string Serialize(MatchExplanation explanation) => JsonSerializer.Serialize(ReasonsOf(explanation, digits: 4), Json);

    /// <summary>The reasons a page shows for a match; <paramref name="digits"/> rounds shares and scores for storing.</summary>
    public static SuggestionReasons ReasonsOf(MatchExplanation explanation, int? digits = null)
    {
        double Round(double value) => digits is { } d ? Math.Round(value, d) : value;
        return new SuggestionReasons(
            explanation.TopTerms.Select(t => new TermShare(t.Term, Round(t.Share))).ToList(),
            explanation.MatchedTags,
            explanation.BestCase?.Title,
            explanation.BestCase is null ? null : Round(explanation.BestCase.Score));
    }

    public static SuggestionReasons Deserialize(string json) =>
        JsonSerializer.Deserialize<SuggestionReasons>(json, Json) ?? new SuggestionReasons([], [], null, null);

    private sealed class ChallengeRow
    {
        public long Id { get; init; }
        public string Title { get; init; } = "";
        public string Scenario { get; init; } = "";
        public string? CurrentProcess { get; init; }
        public string? DataAvailable { get; init; }
        public string? Constraints { get; init; }
        public string? ExpectedOutcome { get; init; }
        public string Language { get; init; } = "zh";
        public int TargetTrl { get; init; }
        public string Visibility { get; init; } = "public";
    }

    private sealed class ReviewerRow
    {
        public long Id { get; init; }
        public string Name { get; init; } = "";
        public string Expertise { get; init; } = "";
        public string Tags { get; init; } = "";
        public DateTimeOffset ChangedAt { get; init; }
    }

    private sealed class TargetRow
    {
        public long ChallengeId { get; init; }
        public string Metric { get; init; } = "";
        public string Threshold { get; init; } = "";
        public string TestMethod { get; init; } = "";
    }

    private sealed class TagRow
    {
        public long OwnerId { get; init; }
        public string Tag { get; init; } = "";
    }

    private sealed class VendorRow
    {
        public long Id { get; init; }
        public string Name { get; init; } = "";
        public string Summary { get; init; } = "";
        public string Language { get; init; } = "zh";
        public int? MaxTrlDelivered { get; init; }
    }

    private sealed class CaseRow
    {
        public long OwnerId { get; init; }
        public string Title { get; init; } = "";
        public string Body { get; init; } = "";
        public string? Outcome { get; init; }
    }

    private sealed class SuggestionRow
    {
        public long VendorId { get; init; }
        public string VendorSlug { get; init; } = "";
        public string VendorName { get; init; } = "";
        public string? VendorNameEn { get; init; }
        public string? VendorCity { get; init; }
        public int Rank { get; init; }
        public double Score { get; init; }
        public string Explanation { get; init; } = "{}";
        public string? LatestSignal { get; init; }
    }

    private sealed class SignalRow
    {
        public long ChallengeId { get; init; }
        public long VendorId { get; init; }
        public string Kind { get; init; } = "";
    }

    private sealed class CountRow
    {
        public long Id { get; init; }
        public int Count { get; init; }
    }
}
