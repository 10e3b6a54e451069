using System.Data.Common;
using Marketplace.Data.Application;

namespace Marketplace.Data.Identity;

/// <summary>
/// Lets ASP.NET Core Identity's store calls join a transaction. UserManager opens no transactions of its own,
/// so a use case that creates an organisation, a user, a role and a membership begins one here; while it
/// is open every <see cref="DapperUserStore"/> call of the same scope runs on its connection, and nothing
/// is left behind when the use case gives up. Outside a transaction each call opens its own connection.
/// </summary>
public sealed class IdentityUnitOfWork(DbConnectionFactory connections) : IAsyncDisposable
{
    private DbConnection? _connection;
    private DbTransaction? _transaction;
    private DbUnitOfWork? _joined;

    public SqlDialect Dialect => connections.Dialect;

    public bool InTransaction => _transaction is not null;

    /// <summary>Begins the scope's transaction. Dispose the returned work to roll back unless it was committed.</summary>
    public async Task<IdentityWork> BeginAsync(CancellationToken cancellationToken)
    {
        if (_transaction is not null)
        {
            throw new InvalidOperationException("A transaction is already open in this scope; Identity work does not nest.");
        }

        _connection = await connections.OpenAsync(cancellationToken);
        try
        {
            _transaction = await _connection.BeginTransactionAsync(cancellationToken);
        }
        catch
        {
            await CloseAsync();
            throw;
        }

        return new IdentityWork(this, _connection, _transaction);
    }

    /// <summary>
    /// Makes the scope's Identity store calls run inside a use case's transaction (begun and ended by the use case
    /// runner) for as long as it stays open; afterwards they go back to a connection per call.
    /// </summary>
    public void Join(DbUnitOfWork work)
    {
        if (_transaction is not null)
        {
            throw new InvalidOperationException("This scope's own Identity transaction is open; a use case's transaction cannot join it.");
        }

        _joined = work;
    }

    /// <summary>A connection for one store call: the open transaction's, or a new one that the lease closes.</summary>
    internal async Task<ConnectionLease> LeaseAsync(CancellationToken cancellationToken)
    {
        if (_transaction is not null)
        {
            return new ConnectionLease(_connection!, _transaction, owned: false);
        }

        if (_joined is { IsOpen: true } joined)
        {
            return new ConnectionLease(joined.Connection, joined.Transaction, owned: false);
        }

        _joined = null;
        return new ConnectionLease(await connections.OpenAsync(cancellationToken), null, owned: true);
    }

    internal async Task CloseAsync()
    {
        if (_transaction is not null)
        {
            await _transaction.DisposeAsync();
            _transaction = null;
        }

        if (_connection is not null)
        {
            await _connection.DisposeAsync();
            _connection = null;
        }
    }

    public ValueTask DisposeAsync() => new(CloseAsync());
}

/// <summary>An open transaction of an <see cref="IdentityUnitOfWork"/>; rolled back on dispose unless committed.</summary>
public sealed class IdentityWork : IAsyncDisposable
{
    private readonly IdentityUnitOfWork _owner;
    private bool _finished;

    internal IdentityWork(IdentityUnitOfWork owner, DbConnection connection, DbTransaction transaction)
    {
        _owner = owner;
        Connection = connection;
        Transaction = transaction;
    }

    public DbConnection Connection { get; }

    public DbTransaction Transaction { get; }

    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        await Transaction.CommitAsync(cancellationToken);
        _finished = true;
        await _owner.CloseAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_finished)
        {
            _finished = true;
            try
            {
                await Transaction.RollbackAsync();
            }
            catch (InvalidOperationException)
            {
                // Already completed or the connection broke: there is nothing left to undo.
            }
            catch (DbException)
            {
                // The server has already ended the transaction (PostgreSQL after some failures).
            }

            await _owner.CloseAsync();
        }
    }
}

/// <summary>A connection borrowed for one call; closed afterwards only if it was opened for that call.</summary>
internal sealed class ConnectionLease(DbConnection connection, DbTransaction? transaction, bool owned) : IAsyncDisposable
{
    public DbConnection Connection { get; } = connection;

    public DbTransaction? Transaction { get; } = transaction;

    public ValueTask DisposeAsync() => owned ? Connection.DisposeAsync() : ValueTask.CompletedTask;
}
