using Marketplace.Core.Features.Accounts;
using Dapper;
using Marketplace.Core.Accounts;
using Marketplace.Core.Application;
using Marketplace.Core.Challenges;
using Marketplace.Core.Features.Challenges;
using Marketplace.Data.Accounts;
using Marketplace.Data.Challenges;
using Marketplace.Data.Tests.Accounts;
using Marketplace.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Marketplace.Data.Tests.Lifecycle;

/// <summary>
/// A fresh database on one engine with the account and lifecycle services wired as the application wires them, a
/// clock the test moves, and the people of a small programme: an enterprise, two vendors and an officer.
/// </summary>
public sealed class LifecycleHarness : IAsyncDisposable
{
    public const string Password = "Strong-pass-2026";

    private readonly ServiceProvider _services;

    private LifecycleHarness(TestDatabase database, ServiceProvider services, ManualClock clock)
    {
        Database = database;
        _services = services;
        Clock = clock;
    }

    public TestDatabase Database { get; }

    public ManualClock Clock { get; }

    /// <summary>The follow-up work committed runs asked for, in order (Hangfire enqueues it in the app).</summary>
    public RecordedFollowUps FollowUps { get; private init; } = new();

    public Actor Enterprise { get; private set; } = null!;

    public Actor OtherEnterprise { get; private set; } = null!;

    public Actor Vendor { get; private set; } = null!;

    public Actor OtherVendor { get; private set; } = null!;

    public Actor Officer { get; private set; } = null!;

    public static async Task<LifecycleHarness> CreateAsync(string engine)
    {
        var database = await TestDatabase.CreateAsync(engine);
        var clock = new ManualClock(new DateTimeOffset(2026, 3, 2, 1, 30, 0, TimeSpan.Zero));
        var followUps = new RecordedFollowUps();
        var services = new ServiceCollection()
            .AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning))
            .AddSingleton(database.Connections)
            .AddSingleton<TimeProvider>(clock)
            .AddSingleton<ChallengeStore>()
            // Before the defaults (TryAdd), so the follow-up requests of committed runs are recorded for the tests.
            .AddSingleton<IFollowUpWork>(followUps)
            .AddMarketplaceAccounts()
            .AddChallengeLifecycleData()
            .BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
        var harness = new LifecycleHarness(database, services, clock) { FollowUps = followUps };
        harness.Enterprise = await harness.RegisterAsync("owner@steel.example", "enterprise", Roles.Enterprise);
        harness.OtherEnterprise = await harness.RegisterAsync("owner@other.example", "enterprise", Roles.Enterprise);
        harness.Vendor = await harness.RegisterAsync("lead@vision.example", "vendor", Roles.Vendor);
        harness.OtherVendor = await harness.RegisterAsync("lead@routes.example", "vendor", Roles.Vendor);
        await using var scope = services.CreateAsyncScope();
        var officer = await scope.ServiceProvider.GetRequiredService<UseCaseRunner>().RunAsync(scope.ServiceProvider.GetRequiredService<AddUser>(), null,
            new AddUserRequest { Email = "officer@office.example", Role = Roles.Officer, Password = Password }, CancellationToken.None);
        Assert.True(officer.IsSuccess, officer.Error?.Message);
        harness.Officer = new Actor(officer.Value!.UserId, [], [Roles.Officer]);
        return harness;
    }

    public T Get<T>()
        where T : notnull => _services.GetRequiredService<T>();

    public static ChallengeDraft Draft(DateTimeOffset deadline, string scenario = "Robot welding cells; seams are inspected by eye and 3% of defects escape.") => new()
    {
        Title = "Weld-seam defect detection",
        Industry = "machinery",
        Scenario = scenario,
        AcceptanceTargets = [new AcceptanceTargetInput { Metric = "Defect recall", Threshold = "≥ 98%", TestMethod = "2,000 held-out images" }],
        TargetTrl = 7,
        BudgetAmount = 800_000m,
        DeadlineAt = deadline,
        Language = "en",
        Tags = ["computer-vision"],
        AttachmentLinks = ["https://files.example.cn/spec.pdf"],
    };

    /// <summary>A draft by <see cref="Enterprise"/>, submitted and published by the officer (with an override if needed).</summary>
    public async Task<long> PublishedChallengeAsync(string visibility = "public", TimeSpan? openFor = null)
    {
        var id = await Succeeds(Run(Get<CreateChallengeDraft>(), Enterprise, new CreateDraftRequest(Draft(Clock.GetUtcNow() + (openFor ?? TimeSpan.FromDays(30))) with { Visibility = visibility }, null)));
        await Succeeds(Run(Get<SubmitChallenge>(), Enterprise, new ChallengeMove(id)));
        await Succeeds(Run(Get<PublishChallenge>(), Officer, new ChallengeMove(id)));
        return id;
    }

    /// <summary>Runs a use case as <paramref name="actor"/> through the application's runner, as a page or the API would.</summary>
    public Task<Core.Common.Result<TResult>> Run<TRequest, TResult>(IUseCase<TRequest, TResult> useCase, Actor? actor, TRequest request) =>
        Get<UseCaseRunner>().RunAsync(useCase, actor, request, CancellationToken.None);

    public static async Task<T> Succeeds<T>(Task<Core.Common.Result<T>> task)
    {
        var result = await task;
        Assert.True(result.IsSuccess, result.Error?.Message);
        return result.Value!;
    }

    public async Task<int> CountAsync(string sql, object? parameters = null)
    {
        await using var connection = await Database.Connections.OpenAsync();
        return await connection.ExecuteScalarAsync<int>(sql, parameters);
    }

    public async Task<IReadOnlyList<string>> NotificationKindsForAsync(long userId)
    {
        await using var connection = await Database.Connections.OpenAsync();
        return (await connection.QueryAsync<string>("SELECT kind FROM notifications WHERE recipient_user_id = @UserId ORDER BY id", new { UserId = userId })).ToList();
    }

    private async Task<Actor> RegisterAsync(string email, string kind, string role)
    {
        await using var scope = _services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<UseCaseRunner>().RunAsync(scope.ServiceProvider.GetRequiredService<RegisterOrganisation>(), null, new RegisterOrganisationRequest
        {
            Kind = kind,
            OrganisationName = "Organisation of " + email,
            DisplayName = "Owner " + email,
            Email = email,
            Password = Password,
            ConfirmPassword = Password,
        }, CancellationToken.None);
        Assert.True(result.IsSuccess, result.Error?.Message);
        return new Actor(result.Value!.UserId, [result.Value.OrganisationId], [role]);
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        await Database.DisposeAsync();
    }
}

/// <summary>Records follow-up requests instead of enqueueing jobs.</summary>
public sealed class RecordedFollowUps : IFollowUpWork
{
    private readonly List<FollowUp> _requests = [];

    public IReadOnlyList<FollowUp> Requests
    {
        get { lock (_requests) { return [.. _requests]; } }
    }

    public void Request(IReadOnlyList<FollowUp> work)
    {
        lock (_requests)
        {
            _requests.AddRange(work);
        }
    }

    public void Clear()
    {
        lock (_requests)
        {
            _requests.Clear();
        }
    }
}
