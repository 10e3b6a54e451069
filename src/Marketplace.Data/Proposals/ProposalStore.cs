using System.Data.Common;
using Dapper;
using Marketplace.Core.Application;
using Marketplace.Core.Features.Proposals;
using Marketplace.Core.Proposals;
using Marketplace.Data.Application;
using Marketplace.Data.Identity;

namespace Marketplace.Data.Proposals;

/// <summary>
/// Proposals: the sealed reads and the writes. Every read takes a <see cref="ProposalViewer"/> and applies the
/// sealing rule of <see cref="ProposalPolicy"/> in its WHERE clause, so no caller can forget it: the author
/// organisation sees its own proposals; the challenge's enterprise and officers see submitted ones only from the
/// deadline on; prices only once an officer opened the price envelopes. Writes run in the use case's unit of work.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822:Mark members as static", Justification = "Injected store: callers depend on the instance, whether or not a method needs its fields.")]
public sealed class ProposalStore(DbConnectionFactory connections) : IProposalStore
{
    public DbConnectionFactory Connections => connections;

    private SqlDialect Dialect => connections.Dialect;

    // Sealing, as SQL fragments chosen by role (never built from user input). @Orgs, @Now.
    private string AuthorFilter => Dialect.InList("p.vendor_id", "@Orgs");

    private string VisibleFilter(ProposalViewer viewer) => ProposalPolicy.ReadsEveryChallenge(viewer)
        ? $"({AuthorFilter} OR (p.status = 'submitted' AND c.deadline_at <= @Now))"
        : $"({AuthorFilter} OR (p.status = 'submitted' AND c.deadline_at <= @Now AND {Dialect.InList("c.enterprise_id", "@Orgs")}))";

    private string PriceFilter(ProposalViewer viewer) => ProposalPolicy.ReadsEveryChallenge(viewer)
        ? $"({AuthorFilter} OR (p.status = 'submitted' AND c.deadline_at <= @Now AND eo.opened_at IS NOT NULL))"
        : $"({AuthorFilter} OR (p.status = 'submitted' AND c.deadline_at <= @Now AND eo.opened_at IS NOT NULL AND {Dialect.InList("c.enterprise_id", "@Orgs")}))";

    private static DynamicParameters Parameters(ProposalViewer viewer, object? extra = null)
    {
        var parameters = new DynamicParameters(extra);
        parameters.Add("Orgs", viewer.OrganisationIds.ToList());
        parameters.Add("Now", viewer.Now);
        return parameters;
    }

    // The version that counts: the latest submitted one, or the draft row (number 1) before the first submission.
    private const string CountingVersion = "pv.proposal_id = p.id AND pv.version_number = CASE WHEN p.current_version = 0 THEN 1 ELSE p.current_version END";

    private const string ViewColumns = """
        SELECT p.id AS Id, p.challenge_id AS ChallengeId, c.title AS ChallengeTitle, c.deadline_at AS DeadlineAt,
               p.vendor_id AS VendorId, o.name AS VendorName, o.name_en AS VendorNameEn, p.status AS Status, p.current_version AS CurrentVersion,
               p.first_submitted_at AS FirstSubmittedAt, p.last_submitted_at AS LastSubmittedAt, p.withdrawn_at AS WithdrawnAt,
               p.updated_at AS UpdatedAt, eo.opened_at AS PriceEnvelopesOpenedAt,
               pv.id AS VersionId, pv.version_number AS VersionNumber, pv.technical_content AS TechnicalContent,
               pv.submitted_at AS SubmittedAt, pv.fingerprint AS Fingerprint, pv.seal_salt AS SealSalt
        """;

    private const string ViewFrom = $"""
        FROM proposals p
        JOIN challenges c ON c.id = p.challenge_id
        JOIN organisations o ON o.id = p.vendor_id
        JOIN proposal_versions pv ON {CountingVersion}
        LEFT JOIN price_envelope_openings eo ON eo.challenge_id = c.id
        """;

    /// <summary>One proposal, or null when it does not exist or this viewer may not see it (yet).</summary>
    public async Task<ProposalView?> FindAsync(long id, ProposalViewer viewer, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<ViewRow>(new CommandDefinition(
            $"{ViewColumns} {ViewFrom} WHERE p.id = @Id AND {VisibleFilter(viewer)}",
            Parameters(viewer, new { Id = id }), cancellationToken: cancellationToken));
        if (row is null)
        {
            return null;
        }

        var prices = await PricesAsync(connection, [row.VersionId], viewer, cancellationToken);
        var isAuthor = ProposalPolicy.IsAuthor(viewer, row.VendorId);
        var versions = isAuthor ? await ReceiptsAsync(connection, id, viewer, cancellationToken) : [];
        return row.ToView(isAuthor, prices.GetValueOrDefault(row.VersionId), versions);
    }

    /// <summary>Every proposal of the viewer's organisations, in every state, newest first.</summary>
    public async Task<IReadOnlyList<ProposalListItem>> ListMineAsync(ProposalViewer viewer, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<ProposalListItem>(new CommandDefinition(
            $"""
            SELECT p.id AS Id, p.challenge_id AS ChallengeId, c.title AS ChallengeTitle, c.status AS ChallengeStatus, c.deadline_at AS DeadlineAt,
                   p.vendor_id AS VendorId, o.name AS VendorName, o.name_en AS VendorNameEn, p.status AS Status, p.current_version AS CurrentVersion,
                   p.last_submitted_at AS LastSubmittedAt, p.updated_at AS UpdatedAt, pv.fingerprint AS Fingerprint,
                   pv.current_trl AS CurrentTrl, pv.delivery_trl AS DeliveryTrl
            FROM proposals p
            JOIN challenges c ON c.id = p.challenge_id
            JOIN organisations o ON o.id = p.vendor_id
            JOIN proposal_versions pv ON {CountingVersion}
            WHERE {AuthorFilter}
            ORDER BY p.updated_at DESC, p.id DESC
            """, Parameters(viewer), cancellationToken: cancellationToken));
        return rows.ToList();
    }

    /// <summary>
    /// The submitted proposals of a challenge as this viewer may see them: nothing before the deadline (except the
    /// viewer's own), technical envelopes after it, prices once opened. Withdrawn proposals and drafts never show.
    /// </summary>
    public async Task<IReadOnlyList<ProposalView>> ListForChallengeAsync(long challengeId, ProposalViewer viewer, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = (await connection.QueryAsync<ViewRow>(new CommandDefinition(
            $"{ViewColumns} {ViewFrom} WHERE p.challenge_id = @ChallengeId AND p.status = 'submitted' AND {VisibleFilter(viewer)} ORDER BY p.first_submitted_at, p.id",
            Parameters(viewer, new { ChallengeId = challengeId }), cancellationToken: cancellationToken))).ToList();
        var prices = await PricesAsync(connection, rows.Select(r => r.VersionId).ToList(), viewer, cancellationToken);
        return rows.Select(r => r.ToView(ProposalPolicy.IsAuthor(viewer, r.VendorId), prices.GetValueOrDefault(r.VersionId), [])).ToList();
    }

    /// <summary>
    /// The price envelopes of a challenge's submitted proposals, by proposal id. Empty until an officer opens them
    /// (and, for anyone but officers and the challenge's enterprise, always empty).
    /// </summary>
    public async Task<IReadOnlyDictionary<long, PriceEnvelope>> OpenedPriceEnvelopesAsync(long challengeId, ProposalViewer viewer, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<PriceRow>(new CommandDefinition(
            $"""
            SELECT pe.proposal_version_id AS VersionId, p.id AS ProposalId, pe.amount AS Amount, pe.currency AS Currency, pe.payment_terms AS PaymentTerms
            FROM proposal_price_envelopes pe
            JOIN proposal_versions pv ON pv.id = pe.proposal_version_id
            JOIN proposals p ON {CountingVersion}
            JOIN challenges c ON c.id = p.challenge_id
            JOIN price_envelope_openings eo ON eo.challenge_id = c.id
            WHERE p.challenge_id = @ChallengeId AND p.status = 'submitted' AND c.deadline_at <= @Now
              AND {(ProposalPolicy.ReadsEveryChallenge(viewer) ? "1 = 1" : Dialect.InList("c.enterprise_id", "@Orgs"))}
            """, Parameters(viewer, new { ChallengeId = challengeId }), cancellationToken: cancellationToken));
        return rows.ToDictionary(r => r.ProposalId, r => r.ToPrice());
    }

    /// <summary>When the officer opened this challenge's price envelopes, or null while they are sealed.</summary>
    public async Task<DateTimeOffset?> PriceEnvelopesOpenedAtAsync(long challengeId, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<OpeningRow>(new CommandDefinition(
            "SELECT opened_at AS OpenedAt FROM price_envelope_openings WHERE challenge_id = @ChallengeId",
            new { ChallengeId = challengeId }, cancellationToken: cancellationToken));
        return row?.OpenedAt;
    }

    /// <summary>
    /// A proposal as its reviewer reads it: only the technical envelope of a submitted proposal the user is assigned
    /// to and accepted, after the deadline. Never the price (not even once opened), never another proposal.
    /// </summary>
    public async Task<ProposalView?> FindForReviewerAsync(long id, long reviewerUserId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<ViewRow>(new CommandDefinition(
            $"""
            {ViewColumns} {ViewFrom}
            WHERE p.id = @Id AND p.status = 'submitted' AND c.deadline_at <= @Now
              AND EXISTS (SELECT 1 FROM review_assignments ra WHERE ra.proposal_id = p.id AND ra.reviewer_user_id = @UserId AND ra.status = 'accepted')
            """, new { Id = id, UserId = reviewerUserId, Now = now }, cancellationToken: cancellationToken));
        return row is null ? null : row.ToView(isAuthor: false, price: null, versions: []) with { PriceEnvelopesOpenedAt = null };
    }

    /// <summary>The technical envelope of one of the author's own versions (older versions are for the author only).</summary>
    public async Task<TechnicalEnvelope?> AuthorVersionAsync(long proposalId, int versionNumber, ProposalViewer viewer, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var json = await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
            $"""
            SELECT pv.technical_content FROM proposal_versions pv JOIN proposals p ON p.id = pv.proposal_id
            WHERE p.id = @Id AND pv.version_number = @Version AND {AuthorFilter}
            """, Parameters(viewer, new { Id = proposalId, Version = versionNumber }), cancellationToken: cancellationToken));
        return json is null ? null : ProposalSeal.Deserialize(json);
    }

    /// <summary>The vendor organisations a user belongs to, oldest membership first: the first one leads their proposals.</summary>
    public async Task<IReadOnlyList<VendorOrganisation>> VendorOrganisationsOfAsync(long userId, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<VendorOrganisation>(new CommandDefinition(VendorOrganisationsOfSql, new { UserId = userId }, cancellationToken: cancellationToken));
        return rows.ToList();
    }

    private const string VendorOrganisationsOfSql = """
        SELECT o.id AS Id, o.slug AS Slug, o.name AS Name
        FROM organisations o JOIN memberships m ON m.organisation_id = o.id
        WHERE m.user_id = @UserId AND o.kind = 'vendor'
        ORDER BY m.created_at, o.id
        """;

    /// <summary>Vendor organisations whose name or slug contains the text, for the consortium picker.</summary>
    public async Task<IReadOnlyList<VendorOrganisation>> SearchVendorsAsync(string? text, int take, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var filter = string.IsNullOrWhiteSpace(text)
            ? ""
            : $" AND ({Dialect.ContainsIgnoringCase("name", "@Text")} OR {Dialect.ContainsIgnoringCase("slug", "@Text")} OR {Dialect.ContainsIgnoringCase("name_en", "@Text")})";
        var rows = await connection.QueryAsync<VendorOrganisation>(new CommandDefinition(
            $"SELECT id AS Id, slug AS Slug, name AS Name, name_en AS NameEn FROM organisations WHERE kind = 'vendor'{filter} ORDER BY name, id {Dialect.Page}",
            new { Text = string.IsNullOrWhiteSpace(text) ? null : SqlDialect.ContainsPattern(text.Trim()), Skip = 0, Take = take },
            cancellationToken: cancellationToken));
        return rows.ToList();
    }

    // The use cases' view of this store: reads and writes inside their unit of work.

    Task<IReadOnlyList<VendorOrganisation>> IProposalStore.VendorOrganisationsOfAsync(IUnitOfWork work, long userId, CancellationToken cancellationToken) =>
        DbUnitOfWork.Of(work).QueryAsync<VendorOrganisation>(VendorOrganisationsOfSql, new { UserId = userId }, cancellationToken);

    async Task<IReadOnlyList<VendorOrganisation>> IProposalStore.VendorsNamedAsync(IUnitOfWork work, IReadOnlyList<string> names, CancellationToken cancellationToken) =>
        names.Count == 0
            ? []
            : await DbUnitOfWork.Of(work).QueryAsync<VendorOrganisation>(
                "SELECT id AS Id, slug AS Slug, name AS Name, name_en AS NameEn FROM organisations WHERE kind = 'vendor' " +
                $"AND ({Dialect.InList("LOWER(slug)", "@Names")} OR {Dialect.InList("LOWER(name)", "@Names")} OR {Dialect.InList("LOWER(name_en)", "@Names")})",
                new { Names = names.ToList() }, cancellationToken);

    async Task<bool> IProposalStore.HasAcceptedNdaAsync(IUnitOfWork work, long challengeId, IReadOnlyList<long> organisationIds, CancellationToken cancellationToken) =>
        organisationIds.Count > 0 && await DbUnitOfWork.Of(work).ScalarAsync<int>(
            $"SELECT COUNT(*) FROM challenge_nda_acceptances WHERE challenge_id = @ChallengeId AND {Dialect.InList("organisation_id", "@Ids")}",
            new { ChallengeId = challengeId, Ids = organisationIds.ToList() }, cancellationToken) > 0;

    async Task<bool> IProposalStore.HasLiveProposalAsync(IUnitOfWork work, long challengeId, long vendorId, CancellationToken cancellationToken) =>
        await DbUnitOfWork.Of(work).ScalarAsync<int>(
            "SELECT COUNT(*) FROM proposals WHERE challenge_id = @ChallengeId AND vendor_id = @VendorId AND status <> 'withdrawn'",
            new { ChallengeId = challengeId, VendorId = vendorId }, cancellationToken) > 0;

    Task<ProposalState?> IProposalStore.LoadStateAsync(IUnitOfWork work, long id, CancellationToken cancellationToken) =>
        DbUnitOfWork.Of(work).QuerySingleOrDefaultAsync<ProposalState>(
            "SELECT id AS Id, challenge_id AS ChallengeId, vendor_id AS VendorId, status AS Status, current_version AS CurrentVersion FROM proposals WHERE id = @Id",
            new { Id = id }, cancellationToken);

    async Task<long?> IProposalStore.InsertProposalAsync(IUnitOfWork work, long challengeId, long vendorId, long userId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        try
        {
            return await DbUnitOfWork.Of(work).ScalarAsync<long>(
                Dialect.InsertReturningId(
                    "proposals",
                    "challenge_id, vendor_id, created_by, status, current_version, created_at, updated_at",
                    "@ChallengeId, @VendorId, @UserId, @Status, 0, @Now, @Now"),
                new { ChallengeId = challengeId, VendorId = vendorId, UserId = userId, Status = ProposalStatus.Draft, Now = now }, cancellationToken);
        }
        catch (DbException ex) when (DbErrors.IsUniqueViolation(ex))
        {
            // One live proposal per lead vendor and challenge (a unique index): another request started it first.
            return null;
        }
    }

    async Task<bool> IProposalStore.InsertVersionAsync(IUnitOfWork work, ProposalVersionRecord version, CancellationToken cancellationToken)
    {
        var db = DbUnitOfWork.Of(work);
        long versionId;
        try
        {
            versionId = await db.ScalarAsync<long>(
                Dialect.InsertReturningId(
                    "proposal_versions",
                    "proposal_id, version_number, technical_content, current_trl, delivery_trl, created_by, created_at, submitted_at, fingerprint, seal_salt",
                    "@ProposalId, @VersionNumber, @Content, @CurrentTrl, @DeliveryTrl, @UserId, @Now, @SubmittedAt, @Fingerprint, @SealSalt"),
                VersionParameters(version, versionId: null), cancellationToken);
        }
        catch (DbException ex) when (DbErrors.IsUniqueViolation(ex))
        {
            // The version number is unique per proposal: someone saved this version first.
            return false;
        }

        await db.ExecuteAsync(
            "INSERT INTO proposal_price_envelopes (proposal_version_id, amount, currency, payment_terms) VALUES (@VersionId, @Amount, @Currency, @PaymentTerms)",
            new { VersionId = versionId, version.Price.Amount, version.Price.Currency, version.Price.PaymentTerms }, cancellationToken);
        return true;
    }

    async Task IProposalStore.UpdateDraftVersionAsync(IUnitOfWork work, ProposalVersionRecord version, CancellationToken cancellationToken)
    {
        var db = DbUnitOfWork.Of(work);
        var versionId = await db.ScalarAsync<long?>(
            "SELECT id FROM proposal_versions WHERE proposal_id = @ProposalId AND version_number = 1 AND submitted_at IS NULL",
            new { version.ProposalId }, cancellationToken)
            ?? throw new InvalidOperationException($"Proposal {version.ProposalId} has no draft version to update.");
        await db.ExecuteAsync(
            """
            UPDATE proposal_versions SET technical_content = @Content, current_trl = @CurrentTrl, delivery_trl = @DeliveryTrl,
                   created_by = @UserId, created_at = @Now, submitted_at = @SubmittedAt, fingerprint = @Fingerprint, seal_salt = @SealSalt
            WHERE id = @VersionId
            """,
            VersionParameters(version, versionId), cancellationToken);
        await db.ExecuteAsync(
            "UPDATE proposal_price_envelopes SET amount = @Amount, currency = @Currency, payment_terms = @PaymentTerms WHERE proposal_version_id = @VersionId",
            new { VersionId = versionId, version.Price.Amount, version.Price.Currency, version.Price.PaymentTerms }, cancellationToken);
    }

    // A version row's values, for its insert and for rewriting the draft row (Dapper sends only those the SQL names).
    private static object VersionParameters(ProposalVersionRecord version, long? versionId) => new
    {
        VersionId = versionId,
        version.ProposalId,
        version.VersionNumber,
        Content = version.TechnicalJson,
        version.Technical.CurrentTrl,
        version.Technical.DeliveryTrl,
        version.UserId,
        version.Now,
        version.SubmittedAt,
        version.Fingerprint,
        version.SealSalt,
    };

    async Task IProposalStore.ReplacePartnersAsync(IUnitOfWork work, long proposalId, IReadOnlyList<ConsortiumPartner> partners, CancellationToken cancellationToken)
    {
        var db = DbUnitOfWork.Of(work);
        await db.ExecuteAsync("DELETE FROM proposal_consortium_members WHERE proposal_id = @ProposalId", new { ProposalId = proposalId }, cancellationToken);
        var position = 0;
        foreach (var partner in partners)
        {
            await db.ExecuteAsync(
                "INSERT INTO proposal_consortium_members (proposal_id, organisation_id, position) VALUES (@ProposalId, @OrganisationId, @Position)",
                new { ProposalId = proposalId, partner.OrganisationId, Position = ++position }, cancellationToken);
        }
    }

    async Task<bool> IProposalStore.MarkSubmittedAsync(IUnitOfWork work, long proposalId, int expectedVersion, int newVersion, DateTimeOffset now, CancellationToken cancellationToken) =>
        await DbUnitOfWork.Of(work).ExecuteAsync(
            """
            UPDATE proposals SET status = 'submitted', current_version = @NewVersion, first_submitted_at = COALESCE(first_submitted_at, @Now),
                   last_submitted_at = @Now, updated_at = @Now
            WHERE id = @Id AND current_version = @Expected AND status <> 'withdrawn'
            """, new { Id = proposalId, Expected = expectedVersion, NewVersion = newVersion, Now = now }, cancellationToken) == 1;

    async Task IProposalStore.TouchAsync(IUnitOfWork work, long proposalId, DateTimeOffset now, CancellationToken cancellationToken) =>
        await DbUnitOfWork.Of(work).ExecuteAsync("UPDATE proposals SET updated_at = @Now WHERE id = @Id", new { Id = proposalId, Now = now }, cancellationToken);

    async Task<bool> IProposalStore.MarkWithdrawnAsync(IUnitOfWork work, long proposalId, DateTimeOffset now, CancellationToken cancellationToken) =>
        await DbUnitOfWork.Of(work).ExecuteAsync(
            "UPDATE proposals SET status = 'withdrawn', withdrawn_at = @Now, updated_at = @Now WHERE id = @Id AND status <> 'withdrawn'",
            new { Id = proposalId, Now = now }, cancellationToken) == 1;

    /// <summary>Recomputes a stored version's fingerprint from its rows: equal to the receipt when nothing changed.</summary>
    public async Task<string?> RecomputeFingerprintAsync(long proposalId, int versionNumber, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<SealRow>(new CommandDefinition(
            """
            SELECT p.id AS ProposalId, p.challenge_id AS ChallengeId, p.vendor_id AS VendorId, pv.version_number AS VersionNumber,
                   pv.submitted_at AS SubmittedAt, pv.technical_content AS TechnicalContent, pv.seal_salt AS SealSalt,
                   pe.amount AS Amount, pe.currency AS Currency, pe.payment_terms AS PaymentTerms
            FROM proposals p JOIN proposal_versions pv ON pv.proposal_id = p.id
            JOIN proposal_price_envelopes pe ON pe.proposal_version_id = pv.id
            WHERE p.id = @Id AND pv.version_number = @Version AND pv.submitted_at IS NOT NULL
            """, new { Id = proposalId, Version = versionNumber }, cancellationToken: cancellationToken));
        return row is null
            ? null
            : ProposalSeal.Fingerprint(row.ProposalId, row.VersionNumber, row.ChallengeId, row.VendorId, row.SubmittedAt!.Value, row.TechnicalContent,
                new PriceEnvelope { Amount = row.Amount, Currency = row.Currency.Trim(), PaymentTerms = row.PaymentTerms ?? "" }, row.SealSalt);
    }

    private async Task<Dictionary<long, PriceEnvelope>> PricesAsync(DbConnection connection, List<long> versionIds, ProposalViewer viewer, CancellationToken cancellationToken)
    {
        if (versionIds.Count == 0)
        {
            return [];
        }

        var parameters = Parameters(viewer);
        parameters.Add("VersionIds", versionIds);
        var rows = await connection.QueryAsync<PriceRow>(new CommandDefinition(
            $"""
            SELECT pe.proposal_version_id AS VersionId, p.id AS ProposalId, pe.amount AS Amount, pe.currency AS Currency, pe.payment_terms AS PaymentTerms
            FROM proposal_price_envelopes pe
            JOIN proposal_versions pv ON pv.id = pe.proposal_version_id
            JOIN proposals p ON p.id = pv.proposal_id
            JOIN challenges c ON c.id = p.challenge_id
            LEFT JOIN price_envelope_openings eo ON eo.challenge_id = c.id
            WHERE {Dialect.InList("pe.proposal_version_id", "@VersionIds")} AND {PriceFilter(viewer)}
            """, parameters, cancellationToken: cancellationToken));
        return rows.ToDictionary(r => r.VersionId, r => r.ToPrice());
    }

    private async Task<IReadOnlyList<ProposalReceipt>> ReceiptsAsync(DbConnection connection, long proposalId, ProposalViewer viewer, CancellationToken cancellationToken)
    {
        var rows = await connection.QueryAsync<ProposalReceipt>(new CommandDefinition(
            $"""
            SELECT p.id AS ProposalId, pv.version_number AS VersionNumber, pv.submitted_at AS SubmittedAt, pv.fingerprint AS Fingerprint,
                   pv.seal_salt AS Salt
            FROM proposal_versions pv JOIN proposals p ON p.id = pv.proposal_id
            WHERE p.id = @Id AND pv.submitted_at IS NOT NULL AND {AuthorFilter}
            ORDER BY pv.version_number DESC
            """, Parameters(viewer, new { Id = proposalId }), cancellationToken: cancellationToken));
        return rows.ToList();
    }

    /// <summary>Init properties, not positional records: Dapper converts column types (SQLite's Int64) only for properties.</summary>
    private sealed class ViewRow
    {
        public long Id { get; init; }
        public long ChallengeId { get; init; }
        public string ChallengeTitle { get; init; } = "";
        public DateTimeOffset DeadlineAt { get; init; }
        public long VendorId { get; init; }
        public string VendorName { get; init; } = "";
        public string? VendorNameEn { get; init; }
        public string Status { get; init; } = "";
        public int CurrentVersion { get; init; }
        public DateTimeOffset? FirstSubmittedAt { get; init; }
        public DateTimeOffset? LastSubmittedAt { get; init; }
        public DateTimeOffset? WithdrawnAt { get; init; }
        public DateTimeOffset UpdatedAt { get; init; }
        public DateTimeOffset? PriceEnvelopesOpenedAt { get; init; }
        public long VersionId { get; init; }
        public int VersionNumber { get; init; }
        public string TechnicalContent { get; init; } = "";
        public DateTimeOffset? SubmittedAt { get; init; }
        public string? Fingerprint { get; init; }
        public string? SealSalt { get; init; }

        public ProposalView ToView(bool isAuthor, PriceEnvelope? price, IReadOnlyList<ProposalReceipt> versions) => new()
        {
            Id = Id,
            ChallengeId = ChallengeId,
            ChallengeTitle = ChallengeTitle,
            DeadlineAt = DeadlineAt,
            VendorId = VendorId,
            VendorName = VendorName,
            VendorNameEn = VendorNameEn,
            Status = Status,
            CurrentVersion = CurrentVersion,
            FirstSubmittedAt = FirstSubmittedAt,
            LastSubmittedAt = LastSubmittedAt,
            WithdrawnAt = WithdrawnAt,
            UpdatedAt = UpdatedAt,
            IsAuthor = isAuthor,
            PriceEnvelopesOpenedAt = PriceEnvelopesOpenedAt,
            Technical = ProposalSeal.Deserialize(TechnicalContent),
            Price = price,
            Receipt = SubmittedAt is { } at && Fingerprint is not null && FingerprintShownTo(isAuthor)
                ? new ProposalReceipt { ProposalId = Id, VersionNumber = VersionNumber, SubmittedAt = at, Fingerprint = Fingerprint, Salt = isAuthor ? SealSalt : null }
                : null,
            Versions = versions,
        };

        // The salt never leaves for anyone but the author. A version sealed before salts existed has an unsalted
        // fingerprint, which would confirm a guessed price: others see it only once the price envelopes are open.
        private bool FingerprintShownTo(bool isAuthor) => isAuthor || SealSalt is not null || PriceEnvelopesOpenedAt is not null;
    }

    private sealed class PriceRow
    {
        public long VersionId { get; init; }
        public long ProposalId { get; init; }
        public decimal? Amount { get; init; }
        public string Currency { get; init; } = "CNY";
        public string? PaymentTerms { get; init; }

        public PriceEnvelope ToPrice() => new() { Amount = Amount, Currency = Currency.Trim(), PaymentTerms = PaymentTerms ?? "" };
    }

    private sealed class OpeningRow
    {
        public DateTimeOffset OpenedAt { get; init; }
    }

    private sealed class SealRow
    {
        public long ProposalId { get; init; }
        public long ChallengeId { get; init; }
        public long VendorId { get; init; }
        public int VersionNumber { get; init; }
        public DateTimeOffset? SubmittedAt { get; init; }
        public string TechnicalContent { get; init; } = "";
        public string? SealSalt { get; init; }
        public decimal? Amount { get; init; }
        public string Currency { get; init; } = "CNY";
        public string? PaymentTerms { get; init; }
    }
}
