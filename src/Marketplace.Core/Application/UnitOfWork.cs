namespace Marketplace.Core.Application;

/// <summary>
/// One database transaction in progress. Use cases hand it to the stores they call; only
/// <see cref="UseCaseRunner"/> begins, commits or rolls it back, so a refusal anywhere changes nothing.
/// </summary>
public interface IUnitOfWork : IAsyncDisposable
{
    Task CommitAsync(CancellationToken cancellationToken);

    Task RollbackAsync(CancellationToken cancellationToken);
}

/// <summary>Begins units of work on the configured database (implemented by Marketplace.Data).</summary>
public interface IUnitOfWorkFactory
{
    Task<IUnitOfWork> BeginAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Whether a database exception means another request changed the same rows first (a unique key taken, a
    /// serialisation failure): the runner turns it into a Conflict the user can retry, not a crash.
    /// </summary>
    bool IsConcurrencyConflict(Exception exception);
}
