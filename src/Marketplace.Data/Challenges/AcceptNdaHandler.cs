using Dapper;
using Marketplace.Core.Challenges;
using Marketplace.Core.Common;
using Marketplace.Data.Audit;

namespace Marketplace.Data.Challenges;

/// <summary>
/// A vendor accepts a confidential challenge's NDA terms on behalf of their organisation; from then on the
/// organisation's members read the full text. Recorded with the user, organisation, terms version and time.
/// Accepting again changes nothing.
/// </summary>
public sealed class AcceptNdaHandler(ChallengeLifecycleStore store, AuditLog audit, TimeProvider clock)
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

        // The acceptance and its audit entry (who accepted for which organisation, which terms) commit together.
        var now = clock.GetUtcNow();
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO challenge_nda_acceptances (challenge_id, organisation_id, user_id, terms_version, accepted_at)
            VALUES (@ChallengeId, @OrganisationId, @UserId, @Terms, @Now)
            """, new { ChallengeId = challengeId, OrganisationId = organisation, actor.UserId, Terms = NdaTerms.Version, Now = now },
            transaction, cancellationToken: cancellationToken));
        var organisationName = await connection.ExecuteScalarAsync<string>(new CommandDefinition(
            "SELECT name FROM organisations WHERE id = @Id", new { Id = organisation }, transaction, cancellationToken: cancellationToken));
        await audit.AppendAsync(connection, transaction, challengeId, actor.UserId, ChallengeActions.NdaAccepted, state.Status, state.Status,
            $"{organisationName} · NDA terms {NdaTerms.Version}", now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }
}
