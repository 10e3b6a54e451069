using Dapper;
using Marketplace.Core.Challenges;
using Marketplace.Core.Common;

namespace Marketplace.Data.Challenges;

/// <summary>
/// A vendor accepts a confidential challenge's NDA terms on behalf of their organisation; from then on the
/// organisation's members read the full text. Recorded with the user, organisation, terms version and time.
/// Accepting again changes nothing.
/// </summary>
public sealed class AcceptNdaHandler(ChallengeLifecycleStore store, TimeProvider clock)
{
    public async Task<Result<bool>> HandleAsync(Actor actor, long challengeId, long? organisationId, CancellationToken cancellationToken)
    {
        await using var connection = await store.Connections.OpenAsync(cancellationToken);
        var state = await store.LoadStateAsync(connection, null, challengeId, cancellationToken);
        if (state is null || !ChallengeAccess.IsPubliclyVisible(state.Status))
        {
            return ChallengeAccess.NotFound(challengeId);
        }

        if (!actor.IsVendor)
        {
            return Error.Forbidden("Only vendors accept a challenge's NDA terms.");
        }

        if (state.Visibility != "confidential")
        {
            return Error.Conflict("This challenge is public; there are no NDA terms to accept.");
        }

        var vendorOrganisations = actor.OrganisationIds.Count == 0 ? [] : (await connection.QueryAsync<long>(new CommandDefinition(
            $"SELECT id FROM organisations WHERE kind = 'vendor' AND {store.Connections.Dialect.InList("id", "@Ids")} ORDER BY id",
            new { Ids = actor.OrganisationIds.ToList() }, cancellationToken: cancellationToken))).ToList();
        var organisation = organisationId ?? (vendorOrganisations.Count > 0 ? vendorOrganisations[0] : (long?)null);
        if (organisation is null || !vendorOrganisations.Contains(organisation.Value))
        {
            return Error.Forbidden("You may accept the NDA only for a vendor organisation you belong to.");
        }

        var already = await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT COUNT(*) FROM challenge_nda_acceptances WHERE challenge_id = @ChallengeId AND organisation_id = @OrganisationId",
            new { ChallengeId = challengeId, OrganisationId = organisation }, cancellationToken: cancellationToken));
        if (already > 0)
        {
            return false;
        }

        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO challenge_nda_acceptances (challenge_id, organisation_id, user_id, terms_version, accepted_at)
            VALUES (@ChallengeId, @OrganisationId, @UserId, @Terms, @Now)
            """, new { ChallengeId = challengeId, OrganisationId = organisation, actor.UserId, Terms = NdaTerms.Version, Now = clock.GetUtcNow() },
            cancellationToken: cancellationToken));
        return true;
    }
}
