using Dapper;
using Marketplace.Core.Challenges;
using Marketplace.Core.Matching;
using Marketplace.Core.Organisations;

namespace Marketplace.Data.Matching;

/// <summary>The challenges recommended to a vendor organisation, as the page and the API show them.</summary>
public sealed record VendorRecommendations(string VendorName, IReadOnlyList<ChallengeRecommendation> Items)
{
    public static VendorRecommendations None { get; } = new("", []);
}

/// <summary>
/// "Recommended for you": the signed-in user's vendor organisation, its best open challenges from the matcher's
/// index, and what the list shows of each. Two statements whatever the number of items (the vendor, then every
/// recommended challenge at once); challenges no longer published are left out.
/// </summary>
public sealed class RecommendationQuery(DbConnectionFactory connections, Matchmaker matchmaker)
{
    public const int Count = 20;

    public async Task<VendorRecommendations> ForUserAsync(long? userId, CancellationToken cancellationToken)
    {
        if (userId is null)
        {
            return VendorRecommendations.None;
        }

        VendorRow? vendor;
        await using (var connection = await connections.OpenAsync(cancellationToken))
        {
            // The user's first vendor organisation, oldest membership first.
            vendor = await connection.QueryFirstOrDefaultAsync<VendorRow>(new CommandDefinition(
                """
                SELECT o.id AS Id, o.name AS Name
                FROM organisations o JOIN memberships m ON m.organisation_id = o.id
                WHERE m.user_id = @UserId AND o.kind = @Vendor
                ORDER BY m.created_at, o.id
                """, new { UserId = userId, Vendor = OrganisationKind.Vendor.ToStorage() }, cancellationToken: cancellationToken));
        }

        if (vendor is null)
        {
            return VendorRecommendations.None;
        }

        var matches = await matchmaker.RecommendedChallengesAsync(vendor.Id, Count, cancellationToken);
        if (matches.Count == 0)
        {
            return new VendorRecommendations(vendor.Name, []);
        }

        await using var reader = await connections.OpenAsync(cancellationToken);
        var challenges = (await reader.QueryAsync<ChallengeRow>(new CommandDefinition(
            $"""
            SELECT c.id AS Id, c.title AS Title, c.industry AS Industry, o.name AS EnterpriseName, c.deadline_at AS DeadlineAt,
                   c.budget_amount AS BudgetAmount, c.budget_currency AS BudgetCurrency, c.visibility AS Visibility
            FROM challenges c JOIN organisations o ON o.id = c.enterprise_id
            WHERE c.status = @Published AND {connections.Dialect.InList("c.id", "@Ids")}
            """, new { Published = ChallengeStatus.Published, Ids = matches.Select(m => MatchStore.IdOf(m.Id)).ToArray() },
            cancellationToken: cancellationToken))).ToDictionary(c => c.Id);

        var items = new List<ChallengeRecommendation>();
        foreach (var match in matches)
        {
            if (!challenges.TryGetValue(MatchStore.IdOf(match.Id), out var challenge))
            {
                continue;
            }

            items.Add(new ChallengeRecommendation
            {
                ChallengeId = challenge.Id,
                Title = challenge.Title,
                Industry = challenge.Industry,
                EnterpriseName = challenge.EnterpriseName,
                DeadlineAt = challenge.DeadlineAt,
                BudgetAmount = challenge.BudgetAmount,
                BudgetCurrency = challenge.BudgetCurrency,
                Visibility = challenge.Visibility,
                Score = match.Score,
                Reasons = new SuggestionReasons(
                    match.Explanation.TopTerms.Select(t => new TermShare(t.Term, t.Share)).ToList(),
                    match.Explanation.MatchedTags,
                    match.Explanation.BestCase?.Title,
                    match.Explanation.BestCase?.Score),
            });
        }

        return new VendorRecommendations(vendor.Name, items);
    }

    private sealed class VendorRow
    {
        public long Id { get; init; }
        public string Name { get; init; } = "";
    }

    private sealed class ChallengeRow
    {
        public long Id { get; init; }
        public string Title { get; init; } = "";
        public string Industry { get; init; } = "";
        public string EnterpriseName { get; init; } = "";
        public DateTimeOffset DeadlineAt { get; init; }
        public decimal? BudgetAmount { get; init; }
        public string BudgetCurrency { get; init; } = "CNY";
        public string Visibility { get; init; } = "public";
    }
}
