using System.Data.Common;
using Dapper;
using Marketplace.Core.Application;
using Marketplace.Core.Common;
using Marketplace.Core.Features.Vendors;
using Marketplace.Core.Vendors;
using Marketplace.Data.Application;

namespace Marketplace.Data.Vendors;

/// <summary>Vendor capability profiles, their tags and industries, and portfolio cases.</summary>
public sealed class VendorStore(DbConnectionFactory connections, TimeProvider clock) : IVendorProfileStore
{
    private const int SummaryLength = 220;

    /// <summary>Writes a vendor's profile, replacing its capability tags and industries.</summary>
    public async Task SaveProfileAsync(DbConnection connection, DbTransaction? transaction, VendorProfileUpdate profile, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var args = new { profile.OrganisationId, profile.Language, profile.Summary, profile.MaxTrlDelivered, Now = now };
        var updated = await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE vendor_profiles SET language = @Language, summary = @Summary, max_trl_delivered = @MaxTrlDelivered, updated_at = @Now WHERE organisation_id = @OrganisationId",
            args, transaction, cancellationToken: cancellationToken));
        if (updated == 0)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO vendor_profiles (organisation_id, language, summary, max_trl_delivered, updated_at) VALUES (@OrganisationId, @Language, @Summary, @MaxTrlDelivered, @Now)",
                args, transaction, cancellationToken: cancellationToken));
        }

        await connection.ExecuteAsync(new CommandDefinition("DELETE FROM vendor_capabilities WHERE organisation_id = @OrganisationId", args, transaction, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition("DELETE FROM vendor_industries WHERE organisation_id = @OrganisationId", args, transaction, cancellationToken: cancellationToken));
        foreach (var tag in profile.Capabilities.Distinct(StringComparer.Ordinal))
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO vendor_capabilities (organisation_id, tag) VALUES (@OrganisationId, @Tag)",
                new { profile.OrganisationId, Tag = tag }, transaction, cancellationToken: cancellationToken));
        }

        foreach (var industry in profile.Industries.Distinct(StringComparer.Ordinal))
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO vendor_industries (organisation_id, industry) VALUES (@OrganisationId, @Industry)",
                new { profile.OrganisationId, Industry = industry }, transaction, cancellationToken: cancellationToken));
        }
    }

    public async Task<long> AddCaseAsync(DbConnection connection, DbTransaction? transaction, NewPortfolioCase portfolioCase, CancellationToken cancellationToken)
    {
        var sql = connections.Dialect.InsertReturningId(
            "portfolio_cases",
            "organisation_id, title, client, industry, year, body, outcome, trl, created_at",
            "@OrganisationId, @Title, @Client, @Industry, @Year, @Body, @Outcome, @Trl, @Now");
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(sql, new
        {
            portfolioCase.OrganisationId,
            portfolioCase.Title,
            portfolioCase.Client,
            portfolioCase.Industry,
            portfolioCase.Year,
            portfolioCase.Body,
            portfolioCase.Outcome,
            portfolioCase.Trl,
            Now = clock.GetUtcNow(),
        }, transaction, cancellationToken: cancellationToken));
    }

    // ---- the profile editor (IVendorProfileStore: inside the use case's transaction) ----

    private const string VendorOrganisationSql =
        "SELECT MIN(id) FROM organisations WHERE kind = 'vendor' AND ";

    public async Task<long?> VendorOrganisationOfAsync(IUnitOfWork work, IReadOnlyList<long> organisationIds, CancellationToken cancellationToken) =>
        organisationIds.Count == 0
            ? null
            : await DbUnitOfWork.Of(work).ScalarAsync<long?>(VendorOrganisationSql + connections.Dialect.InList("id", "@Ids"), new { Ids = organisationIds.ToList() }, cancellationToken);

    public Task SaveProfileAsync(IUnitOfWork work, VendorProfileUpdate profile, CancellationToken cancellationToken)
    {
        var db = DbUnitOfWork.Of(work);
        return SaveProfileAsync(db.Connection, db.Transaction, profile, cancellationToken);
    }

    public async Task<PortfolioCaseOwner?> CaseOwnerAsync(IUnitOfWork work, long caseId, CancellationToken cancellationToken)
    {
        var row = await DbUnitOfWork.Of(work).QuerySingleOrDefaultAsync<CaseOwnerRow>(
            """
            SELECT organisation_id AS OrganisationId,
                   (SELECT COUNT(*) FROM portfolio_consents pc WHERE pc.portfolio_case_id = c.id) AS Consents
            FROM portfolio_cases c WHERE c.id = @Id
            """, new { Id = caseId }, cancellationToken);
        return row is null ? null : new PortfolioCaseOwner(row.OrganisationId, row.Consents > 0);
    }

    public Task<long> AddCaseAsync(IUnitOfWork work, NewPortfolioCase portfolioCase, CancellationToken cancellationToken)
    {
        var db = DbUnitOfWork.Of(work);
        return AddCaseAsync(db.Connection, db.Transaction, portfolioCase, cancellationToken);
    }

    public async Task<bool> UpdateCaseAsync(IUnitOfWork work, long caseId, NewPortfolioCase portfolioCase, CancellationToken cancellationToken) =>
        await DbUnitOfWork.Of(work).ExecuteAsync(
            """
            UPDATE portfolio_cases SET title = @Title, client = @Client, industry = @Industry, year = @Year, body = @Body, outcome = @Outcome, trl = @Trl
            WHERE id = @Id AND organisation_id = @OrganisationId
            """,
            new
            {
                Id = caseId, portfolioCase.OrganisationId, portfolioCase.Title, portfolioCase.Client, portfolioCase.Industry, portfolioCase.Year,
                portfolioCase.Body, portfolioCase.Outcome, portfolioCase.Trl,
            }, cancellationToken) == 1;

    /// <summary>Deletes a case written by its vendor (its tags first). Cases a consent points at are never deleted here.</summary>
    public async Task<bool> DeleteCaseAsync(IUnitOfWork work, long caseId, CancellationToken cancellationToken)
    {
        var db = DbUnitOfWork.Of(work);
        await db.ExecuteAsync(
            "DELETE FROM portfolio_case_tags WHERE case_id = @Id AND NOT EXISTS (SELECT 1 FROM portfolio_consents pc WHERE pc.portfolio_case_id = @Id)",
            new { Id = caseId }, cancellationToken);
        return await db.ExecuteAsync(
            "DELETE FROM portfolio_cases WHERE id = @Id AND NOT EXISTS (SELECT 1 FROM portfolio_consents pc WHERE pc.portfolio_case_id = @Id)",
            new { Id = caseId }, cancellationToken) == 1;
    }

    public Task TouchVendorAsync(IUnitOfWork work, long organisationId, DateTimeOffset now, CancellationToken cancellationToken) =>
        DbUnitOfWork.Of(work).ExecuteAsync("UPDATE vendor_profiles SET updated_at = @Now WHERE organisation_id = @Id", new { Id = organisationId, Now = now }, cancellationToken);

    // ---- the profile editor's reads (pages and the API) ----

    /// <summary>The first vendor organisation among the given ones (lowest id), or null: the organisation a vendor member edits.</summary>
    public async Task<long?> VendorOrganisationOfAsync(IReadOnlyList<long> organisationIds, CancellationToken cancellationToken)
    {
        if (organisationIds.Count == 0)
        {
            return null;
        }

        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            VendorOrganisationSql + connections.Dialect.InList("id", "@Ids"), new { Ids = organisationIds.ToList() }, cancellationToken: cancellationToken));
    }

    /// <summary>A vendor organisation's own profile and every case, for its members' editor (an empty profile when it has none yet).</summary>
    public async Task<VendorProfileEditor?> EditorAsync(long organisationId, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var editor = await connection.QuerySingleOrDefaultAsync<VendorProfileEditor>(new CommandDefinition(
            """
            SELECT o.id AS OrganisationId, o.slug AS Slug, o.name AS Name, o.name_en AS NameEn,
                   CASE WHEN p.organisation_id IS NULL THEN 0 ELSE 1 END AS HasProfile,
                   COALESCE(p.language, 'zh') AS Language, COALESCE(p.summary, '') AS Summary, p.max_trl_delivered AS MaxTrlDelivered
            FROM organisations o LEFT JOIN vendor_profiles p ON p.organisation_id = o.id
            WHERE o.id = @Id AND o.kind = 'vendor'
            """, new { Id = organisationId }, cancellationToken: cancellationToken));
        if (editor is null)
        {
            return null;
        }

        var cases = await connection.QueryAsync<EditablePortfolioCase>(new CommandDefinition(
            """
            SELECT c.id AS Id, c.title AS Title, c.client AS Client, c.industry AS Industry, c.year AS Year, c.body AS Body, c.outcome AS Outcome, c.trl AS Trl,
                   CASE WHEN EXISTS (SELECT 1 FROM portfolio_consents pc WHERE pc.portfolio_case_id = c.id) THEN 1 ELSE 0 END AS FromDelivery
            FROM portfolio_cases c WHERE c.organisation_id = @Id ORDER BY c.year DESC, c.id
            """, new { Id = organisationId }, cancellationToken: cancellationToken));
        List<long> ids = [organisationId];
        var capabilities = await TagsAsync(connection, "vendor_capabilities", "tag", ids, cancellationToken);
        var industries = await TagsAsync(connection, "vendor_industries", "industry", ids, cancellationToken);
        return editor with
        {
            Cases = cases.ToList(),
            Capabilities = capabilities.GetValueOrDefault(organisationId, []),
            Industries = industries.GetValueOrDefault(organisationId, []),
        };
    }

    /// <summary>The vendor directory: vendors with a profile, filtered and paged, alphabetical with a stable tie-breaker.</summary>
    public async Task<Paged<VendorSummary>> SearchAsync(VendorSearch search, PageRequest page, CancellationToken cancellationToken)
    {
        var where = new List<string> { "o.kind = 'vendor'" };
        var parameters = new DynamicParameters();
        if (!string.IsNullOrWhiteSpace(search.Text))
        {
            where.Add($"({connections.Dialect.ContainsIgnoringCase("o.name", "@Text")} OR {connections.Dialect.ContainsIgnoringCase("o.name_en", "@Text")} " +
                      $"OR {connections.Dialect.ContainsIgnoringCase("p.summary", "@Text")})");
            parameters.Add("Text", SqlDialect.ContainsPattern(search.Text.Trim()));
        }

        if (!string.IsNullOrWhiteSpace(search.Capability))
        {
            where.Add("EXISTS (SELECT 1 FROM vendor_capabilities vc WHERE vc.organisation_id = o.id AND vc.tag = @Capability)");
            parameters.Add("Capability", search.Capability);
        }

        if (!string.IsNullOrWhiteSpace(search.Industry))
        {
            where.Add("EXISTS (SELECT 1 FROM vendor_industries vi WHERE vi.organisation_id = o.id AND vi.industry = @Industry)");
            parameters.Add("Industry", search.Industry);
        }

        var filter = string.Join(" AND ", where);
        parameters.Add("Skip", page.Skip);
        parameters.Add("Take", page.PageSize);
        await using var connection = await connections.OpenAsync(cancellationToken);
        var total = await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            $"SELECT COUNT(*) FROM organisations o JOIN vendor_profiles p ON p.organisation_id = o.id WHERE {filter}", parameters, cancellationToken: cancellationToken));
        var rows = (await connection.QueryAsync<VendorSummary>(new CommandDefinition(
            $"""
            SELECT o.id AS Id, o.slug AS Slug, o.name AS Name, o.name_en AS NameEn, o.city AS City, p.language AS Language,
                   p.summary AS Summary, p.max_trl_delivered AS MaxTrlDelivered,
                   (SELECT COUNT(*) FROM portfolio_cases pc WHERE pc.organisation_id = o.id) AS CaseCount
            FROM organisations o JOIN vendor_profiles p ON p.organisation_id = o.id
            WHERE {filter}
            ORDER BY o.name, o.id
            {connections.Dialect.Page}
            """, parameters, cancellationToken: cancellationToken))).ToList();

        var ids = rows.Select(r => r.Id).ToList();
        var capabilities = await TagsAsync(connection, "vendor_capabilities", "tag", ids, cancellationToken);
        var industries = await TagsAsync(connection, "vendor_industries", "industry", ids, cancellationToken);
        var items = rows.Select(r => r with
        {
            Summary = TextShortening.Shorten(r.Summary, SummaryLength),
            Capabilities = capabilities.GetValueOrDefault(r.Id, []),
            Industries = industries.GetValueOrDefault(r.Id, []),
        }).ToList();
        return new Paged<VendorSummary>(items, total, page.Page, page.PageSize);
    }

    public async Task<VendorProfile?> FindBySlugAsync(string slug, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var profile = await connection.QuerySingleOrDefaultAsync<VendorProfile>(new CommandDefinition(
            """
            SELECT o.id AS Id, o.slug AS Slug, o.name AS Name, o.name_en AS NameEn, o.city AS City, o.headcount AS Headcount,
                   o.founded_year AS FoundedYear, o.website AS Website, p.language AS Language, p.summary AS Summary,
                   p.max_trl_delivered AS MaxTrlDelivered
            FROM organisations o JOIN vendor_profiles p ON p.organisation_id = o.id
            WHERE o.slug = @Slug AND o.kind = 'vendor'
            """, new { Slug = slug }, cancellationToken: cancellationToken));
        if (profile is null)
        {
            return null;
        }

        var cases = await connection.QueryAsync<PortfolioCase>(new CommandDefinition(
            """
            SELECT id AS Id, title AS Title, client AS Client, industry AS Industry, year AS Year, body AS Body, outcome AS Outcome, trl AS Trl
            FROM portfolio_cases WHERE organisation_id = @Id ORDER BY year DESC, id
            """, new { profile.Id }, cancellationToken: cancellationToken));
        List<long> ids = [profile.Id];
        var capabilities = await TagsAsync(connection, "vendor_capabilities", "tag", ids, cancellationToken);
        var industries = await TagsAsync(connection, "vendor_industries", "industry", ids, cancellationToken);
        return profile with
        {
            Cases = cases.ToList(),
            Capabilities = capabilities.GetValueOrDefault(profile.Id, []),
            Industries = industries.GetValueOrDefault(profile.Id, []),
        };
    }

    public async Task<int> CountAsync(CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<int>(new CommandDefinition("SELECT COUNT(*) FROM vendor_profiles", cancellationToken: cancellationToken));
    }

    /// <summary>Reads (organisation, value) pairs from one of the two whitelisted tag tables.</summary>
    private async Task<Dictionary<long, IReadOnlyList<string>>> TagsAsync(
        DbConnection connection, string table, string column, List<long> ids, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return [];
        }

        var rows = await connection.QueryAsync<TagRow>(new CommandDefinition(
            $"SELECT organisation_id AS OrganisationId, {column} AS Value FROM {table} WHERE {connections.Dialect.InList("organisation_id", "@Ids")} ORDER BY organisation_id, {column}",
            new { Ids = ids }, cancellationToken: cancellationToken));
        return rows.GroupBy(r => r.OrganisationId).ToDictionary(g => g.Key, g => (IReadOnlyList<string>)g.Select(r => r.Value).ToList());
    }

    private sealed class TagRow
    {
        public long OrganisationId { get; init; }
        public string Value { get; init; } = "";
    }

    private sealed class CaseOwnerRow
    {
        public long OrganisationId { get; init; }
        public int Consents { get; init; }
    }
}
