using System.Data.Common;
using Dapper;
using Marketplace.Core.Common;
using Marketplace.Core.Vendors;

namespace Marketplace.Data.Vendors;

/// <summary>Vendor capability profiles, their tags and industries, and portfolio cases.</summary>
public sealed class VendorStore(DbConnectionFactory connections, TimeProvider clock)
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
}
