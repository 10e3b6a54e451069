using Dapper;
using Marketplace.Core.Application;
using Marketplace.Data.Application;
using Marketplace.Data.Challenges;
using Marketplace.Data.Email;
using Marketplace.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Marketplace.Data.Tests.Email;

/// <summary>
/// A fresh database on one engine with the use-case runner and e-mail services wired as the app wires them, a clock
/// the test moves, and settings pointing at a real SMTP server (or the pickup folder).
/// </summary>
public sealed class EmailHarness : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private bool _ownsDatabase = true;

    private EmailHarness(TestDatabase database, ServiceProvider services, FakeTimeProvider clock, EmailSettings settings)
    {
        Database = database;
        _services = services;
        Clock = clock;
        Settings = settings;
    }

    public TestDatabase Database { get; }

    public FakeTimeProvider Clock { get; }

    public EmailSettings Settings { get; }

    public static EmailSettings SmtpSettings(int port, int maxAttempts = 5) => new()
    {
        SmtpHost = "127.0.0.1",
        SmtpPort = port,
        SmtpSecurity = "none",
        SmtpTimeoutSeconds = 10,
        MaxAttempts = maxAttempts,
        RetryBaseSeconds = 60,
        RetryMaxSeconds = 3600,
        BaseUrl = "https://marketplace.example",
        From = "Marketplace <no-reply@marketplace.example>",
    };

    public static async Task<EmailHarness> CreateAsync(string engine, EmailSettings settings, TestDatabase? shared = null)
    {
        var database = shared ?? await TestDatabase.CreateAsync(engine);
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 1, 30, 0, TimeSpan.Zero));
        var services = new ServiceCollection()
            .AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning))
            .AddSingleton(database.Connections)
            .AddSingleton<TimeProvider>(clock)
            .AddUseCaseRunner()
            .AddEmail(settings)
            .BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
        return new EmailHarness(database, services, clock, settings) { _ownsDatabase = shared is null };
    }

    public T Get<T>()
        where T : notnull => _services.GetRequiredService<T>();

    /// <summary>A person with an e-mail address and a preferred language.</summary>
    public async Task<long> AddUserAsync(string email, string language)
    {
        await using var connection = await Database.Connections.OpenAsync();
        return await connection.ExecuteScalarAsync<long>(
            Database.Connections.Dialect.InsertReturningId("users",
                "user_name, normalized_user_name, email, normalized_email, display_name, preferred_language, security_stamp, concurrency_stamp, created_at",
                "@Email, @Upper, @Email, @Upper, @Email, @Language, 's', 'c', @At"),
            new { Email = email, Upper = email.ToUpperInvariant(), Language = language, At = Clock.GetUtcNow() });
    }

    /// <summary>Writes a notification the way the use-case runner does: in a transaction, through the outbox, committed.</summary>
    public async Task NotifyAsync(string kind, string challengeTitle, params long[] userIds)
    {
        await using var work = await DbUnitOfWork.BeginAsync(Database.Connections, CancellationToken.None);
        await Get<INotificationOutbox>().AddAsync(work, new NotificationRecord(kind, null, challengeTitle, null, [Audience.Users(userIds)], Clock.GetUtcNow()), CancellationToken.None);
        await work.CommitAsync(CancellationToken.None);
    }

    public async Task<IReadOnlyList<(long Id, string Status, int Attempts)>> OutboxAsync()
    {
        await using var connection = await Database.Connections.OpenAsync();
        return (await connection.QueryAsync<(long Id, string Status, int Attempts)>("SELECT id AS Id, status AS Status, attempts AS Attempts FROM email_outbox ORDER BY id")).AsList();
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        if (_ownsDatabase)
        {
            await Database.DisposeAsync();
        }
    }
}
