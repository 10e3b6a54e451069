using System.Data.Common;
using Dapper;
using Marketplace.Core.Application;
using Marketplace.Data.Identity;
using Microsoft.Data.SqlClient;
using Npgsql;

namespace Marketplace.Data.Application;

/// <summary>
/// A use case's transaction on a real connection. Stores turn the <see cref="IUnitOfWork"/> they are given back into
/// this with <see cref="Of"/>; the query helpers below bind the transaction and the dialect so store methods hold only
/// their SQL.
/// </summary>
public sealed class DbUnitOfWork : IUnitOfWork
{
    private bool _ended;
    private bool _disposed;

    private DbUnitOfWork(DbConnection connection, DbTransaction transaction, SqlDialect dialect)
    {
        Connection = connection;
        Transaction = transaction;
        Dialect = dialect;
    }

    public DbConnection Connection { get; }

    public DbTransaction Transaction { get; }

    public SqlDialect Dialect { get; }

    /// <summary>Neither committed, rolled back nor disposed: statements may still join the transaction.</summary>
    public bool IsOpen => !_ended && !_disposed;

    public static async Task<DbUnitOfWork> BeginAsync(DbConnectionFactory connections, CancellationToken cancellationToken)
    {
        var connection = await connections.OpenAsync(cancellationToken);
        try
        {
            return new DbUnitOfWork(connection, await connection.BeginTransactionAsync(cancellationToken), connections.Dialect);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>The database transaction behind a unit of work that this project's factory began.</summary>
    public static DbUnitOfWork Of(IUnitOfWork work) =>
        work as DbUnitOfWork ?? throw new ArgumentException("This unit of work was not begun by Marketplace.Data.", nameof(work));

    public CommandDefinition Command(string sql, object? parameters, CancellationToken cancellationToken) =>
        new(sql, parameters, Transaction, cancellationToken: cancellationToken);

    public Task<T?> QuerySingleOrDefaultAsync<T>(string sql, object? parameters, CancellationToken cancellationToken) =>
        Connection.QuerySingleOrDefaultAsync<T>(Command(sql, parameters, cancellationToken));

    public async Task<IReadOnlyList<T>> QueryAsync<T>(string sql, object? parameters, CancellationToken cancellationToken) =>
        (await Connection.QueryAsync<T>(Command(sql, parameters, cancellationToken))).AsList();

    public Task<T?> ScalarAsync<T>(string sql, object? parameters, CancellationToken cancellationToken) =>
        Connection.ExecuteScalarAsync<T>(Command(sql, parameters, cancellationToken));

    public Task<int> ExecuteAsync(string sql, object? parameters, CancellationToken cancellationToken) =>
        Connection.ExecuteAsync(Command(sql, parameters, cancellationToken));

    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        await Transaction.CommitAsync(cancellationToken);
        _ended = true;
    }

    public async Task RollbackAsync(CancellationToken cancellationToken)
    {
        if (_ended)
        {
            return;
        }

        _ended = true;
        try
        {
            await Transaction.RollbackAsync(cancellationToken);
        }
        catch (Exception exception) when (exception is DbException or InvalidOperationException)
        {
            // The engine already ended the transaction (a broken connection, a failed statement on PostgreSQL):
            // nothing was committed, which is all a rollback promises.
        }
    }

    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        await Transaction.DisposeAsync();
        await Connection.DisposeAsync();
    }
}

/// <summary>Begins units of work on the configured database and recognises "another request got there first".</summary>
public sealed class DbUnitOfWorkFactory(DbConnectionFactory connections) : IUnitOfWorkFactory
{
    public async Task<IUnitOfWork> BeginAsync(CancellationToken cancellationToken) => await DbUnitOfWork.BeginAsync(connections, cancellationToken);

    public bool IsConcurrencyConflict(Exception exception) => exception switch
    {
        DbException db when DbErrors.IsUniqueViolation(db) => true,
        PostgresException postgres => postgres.SqlState is PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected,
        SqlException sqlServer => sqlServer.Number == 1205, // chosen as a deadlock victim
        _ => false,
    };
}
