using Marketplace.Core.Challenges;
using Marketplace.Core.Organisations;
using Marketplace.Data.Challenges;
using Marketplace.Data.Organisations;

namespace Marketplace.Testing;

/// <summary>Builders that write minimal valid rows through the real stores.</summary>
public sealed class TestData(TestDatabase database)
{
    private int _counter;

    public OrganisationStore Organisations { get; } = new(database.Connections, TimeProvider.System);

    public ChallengeStore Challenges { get; } = new(database.Connections, TimeProvider.System);

    public async Task<long> OrganisationAsync(OrganisationKind kind = OrganisationKind.Enterprise, string? name = null)
    {
        var n = Interlocked.Increment(ref _counter);
        await using var connection = await database.Connections.OpenAsync();
        return await Organisations.CreateAsync(connection, null, new NewOrganisation($"org-{n}", kind, name ?? $"Organisation {n}"), CancellationToken.None);
    }

    /// <summary>A challenge with sensible defaults; override what the test is about.</summary>
    public async Task<long> ChallengeAsync(long enterpriseId, Func<NewChallenge, NewChallenge>? customise = null)
    {
        var n = Interlocked.Increment(ref _counter);
        var challenge = new NewChallenge
        {
            Slug = $"challenge-{n}",
            EnterpriseId = enterpriseId,
            Language = "en",
            Title = $"Challenge {n}",
            Industry = "machinery",
            Scenario = $"Scenario text {n}",
            TargetTrl = 6,
            Budget = new Core.Challenges.Money(100_000m + n),
            DeadlineAt = DateTimeOffset.UtcNow.AddDays(30),
            Status = ChallengeStatus.Published,
            PublishedAt = DateTimeOffset.UtcNow.AddDays(-n),
            AcceptanceTargets = [new AcceptanceTarget("Recall", "≥ 95%", "500 held-out images")],
            Tags = ["computer-vision"],
        };
        challenge = customise?.Invoke(challenge) ?? challenge;
        await using var connection = await database.Connections.OpenAsync();
        return await Challenges.CreateAsync(connection, null, challenge, CancellationToken.None);
    }
}
