using Dapper;
using Marketplace.Core.Challenges;
using Marketplace.Core.Application;
using Marketplace.Core.Features.Challenges;
using Marketplace.Core.Features.Proposals;
using Marketplace.Core.Organisations;
using Marketplace.Core.Proposals;
using Marketplace.Data.Challenges;
using Marketplace.Core.Accounts;
using Marketplace.Core.Reviews;
using Marketplace.Core.Features.Reviews;
using Marketplace.Data.Matching;
using Marketplace.Data.Proposals;
using Marketplace.Data.Reviews;
using Marketplace.Testing;
using Microsoft.Extensions.Time.Testing;

using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Data.Tests.Proposals;

/// <summary>
/// A fresh database with an enterprise, its challenge (deadline in ten days), two vendors, another enterprise and
/// an officer, the proposal store and use cases (run by the application's runner) on a clock the test moves.
/// </summary>
public sealed class ProposalsHarness : IAsyncDisposable
{
    private int _users;

    private ProposalsHarness(TestDatabase database, FakeTimeProvider clock)
    {
        Database = database;
        Clock = clock;
        Data = new TestData(database);
        Challenges = new ChallengeStore(database.Connections, clock);
        Store = new ProposalStore(database.Connections);
        Services = new ServiceCollection()
            .AddSingleton(database.Connections)
            .AddSingleton<TimeProvider>(clock)
            .AddSingleton(Challenges)
            .AddSingleton(Store)
            .AddSingleton<MatchStore>()
            .AddChallengeLifecycleData()
            .AddProposalData()
            .AddReviewData(new ReviewOptions())
            .BuildServiceProvider();
    }

    public TestDatabase Database { get; }

    public FakeTimeProvider Clock { get; }

    public TestData Data { get; }

    public ChallengeStore Challenges { get; }

    public ProposalStore Store { get; }

    /// <summary>The stores, use cases and runner, registered as the web app registers them.</summary>
    public ServiceProvider Services { get; }

    public long EnterpriseId { get; private set; }

    public long OtherEnterpriseId { get; private set; }

    public long VendorId { get; private set; }

    public long OtherVendorId { get; private set; }

    public long OfficeId { get; private set; }

    public long VendorUser { get; private set; }

    public long OtherVendorUser { get; private set; }

    public long OfficerUser { get; private set; }

    public long ChallengeId { get; private set; }

    public DateTimeOffset Deadline { get; private set; }

    public static async Task<ProposalsHarness> CreateAsync(string engine)
    {
        var database = await TestDatabase.CreateAsync(engine);
        var harness = new ProposalsHarness(database, new FakeTimeProvider(new DateTimeOffset(2031, 3, 2, 1, 30, 0, TimeSpan.Zero)));
        await harness.SeedAsync();
        return harness;
    }

    private async Task SeedAsync()
    {
        EnterpriseId = await Data.OrganisationAsync(OrganisationKind.Enterprise, "恒泰钢铁");
        OtherEnterpriseId = await Data.OrganisationAsync(OrganisationKind.Enterprise, "Other Enterprise");
        VendorId = await VendorAsync("ven-vision", "视觉科技");
        OtherVendorId = await VendorAsync("ven-routes", "Routing Labs");
        OfficeId = await Data.OrganisationAsync(OrganisationKind.ProgrammeOffice, "Programme Office");
        VendorUser = await UserAsync(VendorId);
        OtherVendorUser = await UserAsync(OtherVendorId);
        OfficerUser = await UserAsync(OfficeId);
        Deadline = Clock.GetUtcNow().AddDays(10);
        ChallengeId = await ChallengeAsync(Deadline);
    }

    public Task<long> ChallengeAsync(DateTimeOffset deadline, string status = ChallengeStatus.Published, string visibility = "public") =>
        Data.ChallengeAsync(EnterpriseId, c => c with
        {
            DeadlineAt = deadline,
            Status = status,
            Visibility = visibility,
            AcceptanceTargets = [new AcceptanceTarget("Defect recall", "≥ 98%", "2,000 held-out images"), new AcceptanceTarget("False alarms", "≤ 1%", "Same set")],
        });

    public async Task<long> VendorAsync(string slug, string name)
    {
        await using var connection = await Database.Connections.OpenAsync();
        return await Data.Organisations.CreateAsync(connection, null, new NewOrganisation(slug, OrganisationKind.Vendor, name), CancellationToken.None);
    }

    /// <summary>A user who belongs to the organisation (written directly: these tests are about proposals, not accounts).</summary>
    public async Task<long> UserAsync(long organisationId)
    {
        var n = Interlocked.Increment(ref _users);
        await using var connection = await Database.Connections.OpenAsync();
        var id = await connection.ExecuteScalarAsync<long>(Database.Connections.Dialect.InsertReturningId(
            "users",
            "user_name, normalized_user_name, email, normalized_email, display_name, security_stamp, concurrency_stamp, created_at",
            "@Email, @Upper, @Email, @Upper, @Name, 'stamp', 'stamp', @Now"),
            new { Email = $"user{n}@test.example", Upper = $"USER{n}@TEST.EXAMPLE", Name = $"User {n}", Now = Clock.GetUtcNow() });
        await Data.Organisations.AddMemberAsync(connection, null, organisationId, id, isOwner: true, CancellationToken.None);
        return id;
    }

    /// <summary>Gives the user a role in the database (audiences such as "all officers" are read from there).</summary>
    public async Task GrantRoleAsync(long userId, string role)
    {
        await using var connection = await Database.Connections.OpenAsync();
        var roleId = await connection.ExecuteScalarAsync<long?>("SELECT id FROM roles WHERE name = @Role", new { Role = role })
            ?? await connection.ExecuteScalarAsync<long>(Database.Connections.Dialect.InsertReturningId("roles", "name, normalized_name", "@Role, @Upper"),
                new { Role = role, Upper = role.ToUpperInvariant() });
        await connection.ExecuteAsync("INSERT INTO user_roles (user_id, role_id) VALUES (@User, @Role)", new { User = userId, Role = roleId });
    }

    public ProposalViewer Author => new(VendorUser, [VendorId], false, Clock.GetUtcNow());

    public ProposalViewer OtherVendor => new(OtherVendorUser, [OtherVendorId], false, Clock.GetUtcNow());

    public ProposalViewer Enterprise => new(null, [EnterpriseId], false, Clock.GetUtcNow());

    public ProposalViewer OtherEnterprise => new(null, [OtherEnterpriseId], false, Clock.GetUtcNow());

    public ProposalViewer Officer => new(OfficerUser, [OfficeId], true, Clock.GetUtcNow());

    public ProposalViewer Admin => new(null, [], false, Clock.GetUtcNow());

    public ProposalViewer Anonymous => ProposalViewer.Anonymous(Clock.GetUtcNow());

    public static ProposalInput Complete(string approach = "Line-scan cameras and a segmentation model.", decimal price = 980_000m) => new()
    {
        Approach = approach,
        TargetAnswers = ["99.1% recall on our data.", "0.6% false alarms."],
        CurrentTrl = 6,
        DeliveryTrl = 8,
        Team = "Five engineers.",
        Milestones =
        [
            new MilestoneInput { Name = "Pilot", DueOn = new DateOnly(2031, 6, 1), Deliverable = "Pilot on line 2", PaymentShare = 40m },
            new MilestoneInput { Name = "Acceptance", DueOn = new DateOnly(2031, 9, 1), Deliverable = "Acceptance test", PaymentShare = 60m },
        ],
        PriceAmount = price,
        PriceCurrency = "CNY",
        PaymentTerms = "Per accepted milestone.",
    };

    public async Task<Core.Common.Result<ProposalSaved>> SubmitAsync(long? userId = null, ProposalInput? input = null, bool asDraft = false, long? challengeId = null) =>
        await Run(Services.GetRequiredService<SubmitProposal>(), await ActorAsync(userId ?? VendorUser),
            new SubmitProposalRequest(challengeId ?? ChallengeId, asDraft, input ?? Complete()));

    public async Task<Core.Common.Result<ProposalSaved>> ReviseAsync(long proposalId, ProposalInput input, bool asDraft = false, long? userId = null) =>
        await Run(Services.GetRequiredService<ReviseProposal>(), await ActorAsync(userId ?? VendorUser), new ReviseProposalRequest(proposalId, asDraft, input));

    public async Task<Core.Common.Result<ProposalSaved>> WithdrawAsync(long proposalId, long? userId = null) =>
        await Run(Services.GetRequiredService<WithdrawProposal>(), await ActorAsync(userId ?? VendorUser), new WithdrawProposalRequest(proposalId));

    public Task<Core.Common.Result<TResult>> Run<TRequest, TResult>(IUseCase<TRequest, TResult> useCase, Actor? actor, TRequest request) =>
        Services.GetRequiredService<UseCaseRunner>().RunAsync(useCase, actor, request, CancellationToken.None);

    /// <summary>A user as the use cases see them: their organisations, and the Officer role for the officer, Vendor for anyone else.</summary>
    public async Task<Actor> ActorAsync(long userId)
    {
        await using var connection = await Database.Connections.OpenAsync();
        var organisations = (await connection.QueryAsync<long>("SELECT organisation_id FROM memberships WHERE user_id = @UserId ORDER BY organisation_id", new { UserId = userId })).ToList();
        return new Actor(userId, organisations, [userId == OfficerUser ? Roles.Officer : Roles.Vendor]);
    }

    /// <summary>Opening the price envelopes is closing technical scoring (Reviews), as the proposal pages and API run it.</summary>
    public Task<Core.Common.Result<PriceEnvelopesOpened>> OpenPricesAsync(long? challengeId = null, bool isOfficer = true) =>
        OpenAsync(challengeId ?? ChallengeId, isOfficer);

    private async Task<Core.Common.Result<PriceEnvelopesOpened>> OpenAsync(long challengeId, bool isOfficer)
    {
        var result = await Run(Services.GetRequiredService<CloseTechnicalScoring>(), new Actor(OfficerUser, [], isOfficer ? [Roles.Officer] : []), new ReviewOf(challengeId));
        return result.IsSuccess ? new PriceEnvelopesOpened(result.Value!.ChallengeId, result.Value.OpenedAt, result.Value.ProposalCount) : result.Error!;
    }

    /// <summary>
    /// Price envelopes open only when technical scoring closes: a reviewer (with the Reviewer role) is assigned to
    /// every submitted proposal of the challenge, accepts and scores every criterion, through the review handlers.
    /// </summary>
    public async Task ReviewAllAsync(long? challengeId = null)
    {
        var (made, reviewerActor) = await AssignAReviewerAsync(challengeId);
        var services = Services;
        var runner = services.GetRequiredService<UseCaseRunner>();
        var rubric = await services.GetRequiredService<ReviewStore>().CriteriaAsync(made.ChallengeId, CancellationToken.None);
        foreach (var a in made.Assigned)
        {
            Assert.True((await runner.RunAsync(services.GetRequiredService<AcceptAssignment>(), reviewerActor, new AssignmentAnswer(a.AssignmentId), CancellationToken.None)).IsSuccess);
            var scored = await runner.RunAsync(services.GetRequiredService<RecordScores>(), reviewerActor, new ScoreSheet(a.AssignmentId,
                rubric.Select(c => new ScoreInput { CriterionId = c.Id, Score = 7, Comment = "Sound." }).ToList()), CancellationToken.None);
            Assert.True(scored.IsSuccess, scored.Error?.Message);
        }
    }

    /// <summary>
    /// Closes the challenge (its deadline has passed) and has the officer assign a new reviewer (Reviewer role) to
    /// every submitted proposal; returns the assignments and the reviewer, who has not accepted or scored yet.
    /// </summary>
    public async Task<(AssignmentsMade Made, Actor Reviewer)> AssignAReviewerAsync(long? challengeId = null)
    {
        var challenge = challengeId ?? ChallengeId;
        var reviewer = await UserAsync(OfficeId);
        await GrantRoleAsync(reviewer, Roles.Reviewer);

        // The deadline has passed: the scheduler's work (closing the challenge) is run here, as the job would.
        var services = Services;
        await services.GetRequiredService<ChallengeCloser>().CloseDueChallengesAsync();
        var runner = services.GetRequiredService<UseCaseRunner>();
        var officer = new Actor(OfficerUser, [OfficeId], [Roles.Officer]);
        var reviewerActor = new Actor(reviewer, [OfficeId], [Roles.Reviewer]);
        var made = await runner.RunAsync(services.GetRequiredService<AssignReviewer>(), officer, new ReviewerAssignment(challenge, reviewer, null), CancellationToken.None);
        Assert.True(made.IsSuccess, made.Error?.Message);
        return (made.Value!, reviewerActor);
    }

    /// <summary>Rows in every proposal table, to prove that a refused action wrote nothing.</summary>
    public async Task<string> CountsAsync()
    {
        await using var connection = await Database.Connections.OpenAsync();
        var counts = new List<int>();
        foreach (var table in new[] { "proposals", "proposal_versions", "proposal_price_envelopes", "proposal_consortium_members", "price_envelope_openings" })
        {
            counts.Add(await connection.ExecuteScalarAsync<int>($"SELECT COUNT(*) FROM {table}"));
        }

        var states = await connection.QueryAsync<string>("SELECT status FROM proposals ORDER BY id");
        return string.Join(",", counts) + "|" + string.Join(",", states);
    }

    public void PassTheDeadline() => Clock.Advance(Deadline - Clock.GetUtcNow() + TimeSpan.FromMinutes(1));

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        await Database.DisposeAsync();
    }
}
