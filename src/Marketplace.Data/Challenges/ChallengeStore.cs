using System.Data.Common;
using Dapper;
using Marketplace.Core.Challenges;
using Marketplace.Matching.Semantics;
using Marketplace.Core.Common;

namespace Marketplace.Data.Challenges;

/// <summary>How the public challenge list may be ordered; each maps to a fixed ORDER BY with a tie-breaker.</summary>
public enum ChallengeSort
{
    /// <summary>Best match to the search text first (newest first when there is no text).</summary>
    Relevance,
    Newest,
    Deadline,
    Budget,
}

/// <summary>Challenges: creation and the public reads (list with filters, detail).</summary>
public sealed class ChallengeStore(DbConnectionFactory connections, TimeProvider clock)
{
    private const int TeaserLength = 180;

    public async Task<long> CreateAsync(DbConnection connection, DbTransaction? transaction, NewChallenge challenge, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var sql = connections.Dialect.InsertReturningId(
            "challenges",
            "slug, enterprise_id, created_by, language, title, industry, scenario, current_process, data_available, constraints_text, " +
            "expected_outcome, target_trl, budget_amount, budget_currency, deadline_at, status, visibility, published_at, created_at, updated_at, row_version",
            "@Slug, @EnterpriseId, @CreatedBy, @Language, @Title, @Industry, @Scenario, @CurrentProcess, @DataAvailable, @Constraints, " +
            "@ExpectedOutcome, @TargetTrl, @BudgetAmount, @BudgetCurrency, @DeadlineAt, @Status, @Visibility, @PublishedAt, @Now, @Now, 1");
        var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(sql, new
        {
            challenge.Slug,
            challenge.EnterpriseId,
            challenge.CreatedBy,
            challenge.Language,
            challenge.Title,
            challenge.Industry,
            challenge.Scenario,
            challenge.CurrentProcess,
            challenge.DataAvailable,
            challenge.Constraints,
            challenge.ExpectedOutcome,
            challenge.TargetTrl,
            BudgetAmount = challenge.Budget?.Amount,
            BudgetCurrency = challenge.Budget?.Currency ?? "CNY",
            challenge.DeadlineAt,
            challenge.Status,
            challenge.Visibility,
            challenge.PublishedAt,
            Now = now,
        }, transaction, cancellationToken: cancellationToken));

        var position = 0;
        foreach (var target in challenge.AcceptanceTargets)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO challenge_acceptance_targets (challenge_id, position, metric, threshold, test_method) VALUES (@ChallengeId, @Position, @Metric, @Threshold, @TestMethod)",
                new { ChallengeId = id, Position = ++position, target.Metric, target.Threshold, target.TestMethod },
                transaction, cancellationToken: cancellationToken));
        }

        foreach (var tag in challenge.Tags.Distinct(StringComparer.Ordinal))
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO challenge_tags (challenge_id, tag) VALUES (@ChallengeId, @Tag)",
                new { ChallengeId = id, Tag = tag }, transaction, cancellationToken: cancellationToken));
        }

        return id;
    }

    /// <summary>The public list: challenges that have been published (open, closed or later), filtered and paged.</summary>
    /// <summary>
    /// The search box: the phrase as typed (in the title, the enterprise's Chinese or English name, a public scenario,
    /// or a tag's slug), or every concept of the field it names, each in either language or as its tag, so "weld"
    /// finds 焊缝 and 机器视觉 finds the challenges tagged computer-vision. Parameters only: the text never enters the SQL.
    /// </summary>
    private (string Condition, string Relevance) TextCondition(SearchQuery query, DynamicParameters parameters)
    {
        var dialect = connections.Dialect;
        string Anywhere(string parameter) =>
            $"{dialect.ContainsIgnoringCase("c.title", parameter)} OR {dialect.ContainsIgnoringCase("o.name", parameter)} " +
            $"OR {dialect.ContainsIgnoringCase("o.name_en", parameter)} OR (c.visibility = 'public' AND {dialect.ContainsIgnoringCase("c.scenario", parameter)})";

        parameters.Add("Text", SqlDialect.ContainsPattern(query.Phrase));
        parameters.Add("Tag0", query.Phrase.ToLowerInvariant());
        var phrase = $"{Anywhere("@Text")} OR EXISTS (SELECT 1 FROM challenge_tags t WHERE t.challenge_id = c.id AND t.tag = @Tag0)";
        // Relevance: where the words stand counts (the title most, then the enterprise and the tags, then the scenario).
        var relevance = new List<string>
        {
            $"CASE WHEN {dialect.ContainsIgnoringCase("c.title", "@Text")} THEN 8 ELSE 0 END",
            $"CASE WHEN {dialect.ContainsIgnoringCase("o.name", "@Text")} OR {dialect.ContainsIgnoringCase("o.name_en", "@Text")} THEN 4 ELSE 0 END",
            "CASE WHEN EXISTS (SELECT 1 FROM challenge_tags t WHERE t.challenge_id = c.id AND t.tag = @Tag0) THEN 4 ELSE 0 END",
            $"CASE WHEN c.visibility = 'public' AND {dialect.ContainsIgnoringCase("c.scenario", "@Text")} THEN 2 ELSE 0 END",
        };
        if (query.Concepts.Count == 0)
        {
            return ($"({phrase})", string.Join(" + ", relevance));
        }

        // Every concept must be there (in any of its forms, or as its tag): "weld X-ray" needs both.
        var concepts = new List<string>();
        foreach (var (concept, i) in query.Concepts.Take(6).Select((c, i) => (c, i)))
        {
            var forms = new List<string>();
            var inTitle = new List<string>();
            var inScenario = new List<string>();
            foreach (var (form, j) in concept.SearchForms().Take(8).Select((f, j) => (f, j)))
            {
                var name = $"@Concept{i}Form{j}";
                parameters.Add(name[1..], SqlDialect.ContainsPattern(form));
                forms.Add(Anywhere(name));
                inTitle.Add(dialect.ContainsIgnoringCase("c.title", name));
                inScenario.Add(dialect.ContainsIgnoringCase("c.scenario", name));
            }

            if (inTitle.Count > 0)
            {
                relevance.Add($"CASE WHEN {string.Join(" OR ", inTitle)} THEN 3 ELSE 0 END");
                relevance.Add($"CASE WHEN c.visibility = 'public' AND ({string.Join(" OR ", inScenario)}) THEN 1 ELSE 0 END");
            }

            if (concept.Tag is not null)
            {
                parameters.Add($"Concept{i}Tag", concept.Tag);
                var tagged = $"EXISTS (SELECT 1 FROM challenge_tags t WHERE t.challenge_id = c.id AND t.tag = @Concept{i}Tag)";
                forms.Add(tagged);
                relevance.Add($"CASE WHEN {tagged} THEN 2 ELSE 0 END");
            }

            concepts.Add("(" + string.Join(" OR ", forms) + ")");
        }

        return ($"(({phrase}) OR ({string.Join(" AND ", concepts)}))", string.Join(" + ", relevance));
    }

    public async Task<Paged<ChallengeSummary>> SearchPublicAsync(ChallengeSearch search, ChallengeSort sort, PageRequest page, CancellationToken cancellationToken)
    {
        var (filter, parameters, relevance) = PublicListFilter(search);
        var orderBy = sort switch
        {
            ChallengeSort.Relevance when relevance is not null => $"({relevance}) DESC, c.published_at DESC, c.id DESC",
            ChallengeSort.Deadline => "c.deadline_at, c.id",
            ChallengeSort.Budget => "CASE WHEN c.budget_amount IS NULL THEN 1 ELSE 0 END, c.budget_amount DESC, c.id DESC",
            _ => "c.published_at DESC, c.id DESC",
        };
        parameters.Add("Skip", page.Skip);
        parameters.Add("Take", page.PageSize);

        await using var connection = await connections.OpenAsync(cancellationToken);
        var total = await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            $"SELECT COUNT(*) FROM challenges c JOIN organisations o ON o.id = c.enterprise_id WHERE {filter}", parameters, cancellationToken: cancellationToken));
        var rows = (await connection.QueryAsync<ChallengeSummary>(new CommandDefinition(
            $"""
            SELECT c.id AS Id, c.title AS Title, c.industry AS Industry, c.language AS Language, c.status AS Status,
                   c.visibility AS Visibility, c.target_trl AS TargetTrl, c.budget_amount AS BudgetAmount,
                   c.budget_currency AS BudgetCurrency, c.deadline_at AS DeadlineAt, c.published_at AS PublishedAt,
                   o.id AS EnterpriseId, o.name AS EnterpriseName, o.name_en AS EnterpriseNameEn, o.slug AS EnterpriseSlug,
                   CASE WHEN c.visibility = 'public' THEN c.scenario ELSE '' END AS Teaser
            FROM challenges c JOIN organisations o ON o.id = c.enterprise_id
            WHERE {filter}
            ORDER BY {orderBy}
            {connections.Dialect.Page}
            """, parameters, cancellationToken: cancellationToken))).ToList();

        var tags = await TagsForAsync(connection, null, rows.Select(r => r.Id).ToList(), cancellationToken);
        var items = rows.Select(r => r with
        {
            Teaser = TextShortening.Shorten(r.Teaser, TeaserLength),
            Tags = tags.TryGetValue(r.Id, out var list) ? list : [],
        }).ToList();
        return new Paged<ChallengeSummary>(items, total, page.Page, page.PageSize);
    }

    /// <summary>
    /// The public list's filters as a WHERE condition over <c>challenges c JOIN organisations o</c>, its parameters and, with
    /// search text, the relevance expression. Shared by the list and the officers' exports, so an export carries exactly the
    /// list's filters. Built from fixed fragments only; the user's values travel as parameters.
    /// </summary>
    public (string Where, DynamicParameters Parameters, string? Relevance) PublicListFilter(ChallengeSearch search)
    {
        var where = new List<string> { connections.Dialect.InList("c.status", "@Statuses") };
        var parameters = new DynamicParameters();
        parameters.Add("Statuses", ChallengeStatus.PubliclyListed);
        string? relevance = null;
        if (!string.IsNullOrWhiteSpace(search.Text))
        {
            var (condition, score) = TextCondition(TermList.Default.Understand(search.Text), parameters);
            where.Add(condition);
            relevance = score;
        }

        if (!string.IsNullOrWhiteSpace(search.Industry))
        {
            where.Add("c.industry = @Industry");
            parameters.Add("Industry", search.Industry);
        }

        if (!string.IsNullOrWhiteSpace(search.Language))
        {
            where.Add("c.language = @Language");
            parameters.Add("Language", search.Language);
        }

        if (!string.IsNullOrWhiteSpace(search.Tag))
        {
            where.Add("EXISTS (SELECT 1 FROM challenge_tags t WHERE t.challenge_id = c.id AND t.tag = @Tag)");
            parameters.Add("Tag", search.Tag);
        }

        if (search.BudgetMin is not null || search.BudgetMax is not null)
        {
            where.Add("c.budget_currency = @BudgetCurrency AND c.budget_amount IS NOT NULL");
            parameters.Add("BudgetCurrency", search.BudgetCurrency);
        }

        if (search.BudgetMin is { } min)
        {
            where.Add("c.budget_amount >= @BudgetMin");
            parameters.Add("BudgetMin", min);
        }

        if (search.BudgetMax is { } max)
        {
            where.Add("c.budget_amount <= @BudgetMax");
            parameters.Add("BudgetMax", max);
        }

        if (search.DeadlineBefore is { } before)
        {
            where.Add("c.deadline_at < @DeadlineBefore");
            parameters.Add("DeadlineBefore", before);
        }

        if (search.OpenOnly)
        {
            where.Add("c.status = @Open AND c.deadline_at > @Now");
            parameters.Add("Open", ChallengeStatus.Published);
            parameters.Add("Now", clock.GetUtcNow());
        }

        return (string.Join(" AND ", where), parameters, relevance);
    }

    /// <summary>A challenge with its targets and tags, whatever its state; callers decide who may see it.</summary>
    public async Task<ChallengeDetail?> FindAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await FindAsync(connection, null, id, cancellationToken);
    }

    /// <summary>
    /// The same, on the caller's connection and transaction (to read back what a transaction wrote). One round trip:
    /// the challenge, its targets, tags and attachment links come back as four result sets of one command.
    /// </summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822:Mark members as static", Justification = "Injected store: callers depend on the instance.")]
    public async Task<ChallengeDetail?> FindAsync(DbConnection connection, DbTransaction? transaction, long id, CancellationToken cancellationToken)
    {
        await using var results = await connection.QueryMultipleAsync(new CommandDefinition(
            """
            SELECT c.id AS Id, c.slug AS Slug, c.title AS Title, c.industry AS Industry, c.language AS Language, c.status AS Status,
                   c.visibility AS Visibility, c.scenario AS Scenario, c.current_process AS CurrentProcess,
                   c.data_available AS DataAvailable, c.constraints_text AS Constraints, c.expected_outcome AS ExpectedOutcome,
                   c.target_trl AS TargetTrl, c.budget_amount AS BudgetAmount, c.budget_currency AS BudgetCurrency,
                   c.deadline_at AS DeadlineAt, c.published_at AS PublishedAt, c.created_at AS CreatedAt, c.updated_at AS UpdatedAt,
                   c.row_version AS RowVersion, c.status_reason AS StatusReason, o.id AS EnterpriseId, o.name AS EnterpriseName, o.name_en AS EnterpriseNameEn, o.slug AS EnterpriseSlug, o.city AS EnterpriseCity
            FROM challenges c JOIN organisations o ON o.id = c.enterprise_id
            WHERE c.id = @Id;
            SELECT metric AS Metric, threshold AS Threshold, test_method AS TestMethod FROM challenge_acceptance_targets WHERE challenge_id = @Id ORDER BY position;
            SELECT tag FROM challenge_tags WHERE challenge_id = @Id ORDER BY tag;
            SELECT url FROM challenge_attachments WHERE challenge_id = @Id ORDER BY position;
            """, new { Id = id }, transaction, cancellationToken: cancellationToken));
        var detail = await results.ReadSingleOrDefaultAsync<ChallengeDetail>();
        var targets = await results.ReadAsync<TargetRow>();
        var tags = await results.ReadAsync<string>();
        var links = await results.ReadAsync<string>();
        return detail is null ? null : detail with
        {
            AcceptanceTargets = targets.Select(t => new AcceptanceTarget(t.Metric, t.Threshold, t.TestMethod)).ToList(),
            Tags = tags.ToList(),
            AttachmentLinks = links.ToList(),
        };
    }

    /// <summary>Counts for the home page: open challenges and all publicly listed ones.</summary>
    public async Task<(int Open, int Listed)> CountPublicAsync(CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var open = await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT COUNT(*) FROM challenges WHERE status = @Open AND deadline_at > @Now",
            new { Open = ChallengeStatus.Published, Now = clock.GetUtcNow() }, cancellationToken: cancellationToken));
        var listed = await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            $"SELECT COUNT(*) FROM challenges WHERE {connections.Dialect.InList("status", "@Statuses")}", new { Statuses = ChallengeStatus.PubliclyListed }, cancellationToken: cancellationToken));
        return (open, listed);
    }

    private async Task<Dictionary<long, IReadOnlyList<string>>> TagsForAsync(DbConnection connection, DbTransaction? transaction, List<long> ids, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return [];
        }

        var rows = await connection.QueryAsync<TagRow>(new CommandDefinition(
            $"SELECT challenge_id AS ChallengeId, tag AS Tag FROM challenge_tags WHERE {connections.Dialect.InList("challenge_id", "@Ids")} ORDER BY challenge_id, tag",
            new { Ids = ids }, transaction, cancellationToken: cancellationToken));
        return rows.GroupBy(r => r.ChallengeId).ToDictionary(g => g.Key, g => (IReadOnlyList<string>)g.Select(r => r.Tag).ToList());
    }

    private sealed class TargetRow
    {
        public string Metric { get; init; } = "";
        public string Threshold { get; init; } = "";
        public string TestMethod { get; init; } = "";
    }

    private sealed class TagRow
    {
        public long ChallengeId { get; init; }
        public string Tag { get; init; } = "";
    }
}
