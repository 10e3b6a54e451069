using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;

namespace Marketplace.Data.Diagnostics;

/// <summary>
/// Counts the SQL commands one flow of work sends (a request, a test step), so tests can hold the main pages to a
/// query ceiling. Off unless Database:CountCommands is set: the connection factory then hands out
/// <see cref="CountingConnection"/>s, which add nothing but the count. SQLite only: Dapper recognises PostgreSQL's
/// native arrays by the connection's type, which a wrapper would hide.
/// </summary>
public static class SqlCommandCounter
{
    private static readonly AsyncLocal<Tally?> Current = new();

    /// <summary>A running count, read after the work it counts.</summary>
    public sealed class Tally
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<string> _commands = new();

        public int Count => _commands.Count;

        /// <summary>The commands' SQL, one line each, in the order they ran: what a failing ceiling test prints.</summary>
        public IReadOnlyList<string> Commands => [.. _commands];

        internal void Add(string sql) => _commands.Enqueue(string.Join(' ', sql.Split((char[])['\r', '\n', ' '], StringSplitOptions.RemoveEmptyEntries)));
    }

    /// <summary>Starts counting the commands of the current asynchronous flow (and the flows it starts).</summary>
    public static Tally Start() => Current.Value = new Tally();

    internal static void CountOne(string sql) => Current.Value?.Add(sql);
}

/// <summary>A connection that counts the commands run on it and otherwise passes everything to the real one.</summary>
[SuppressMessage("Security", "CA2100:Review SQL queries for security vulnerabilities", Justification = "Passes the caller's (parameterised) SQL through unchanged.")]
public sealed class CountingConnection(DbConnection inner) : DbConnection
{
    [AllowNull]
    public override string ConnectionString { get => inner.ConnectionString; set => inner.ConnectionString = value; }

    public override string Database => inner.Database;

    public override string DataSource => inner.DataSource;

    public override string ServerVersion => inner.ServerVersion;

    public override ConnectionState State => inner.State;

    public override void ChangeDatabase(string databaseName) => inner.ChangeDatabase(databaseName);

    public override void Close() => inner.Close();

    public override void Open() => inner.Open();

    public override Task OpenAsync(CancellationToken cancellationToken) => inner.OpenAsync(cancellationToken);

    protected override DbTransaction BeginDbTransaction(IsolationLevel isolationLevel) => inner.BeginTransaction(isolationLevel);

    protected override async ValueTask<DbTransaction> BeginDbTransactionAsync(IsolationLevel isolationLevel, CancellationToken cancellationToken) =>
        await inner.BeginTransactionAsync(isolationLevel, cancellationToken);

    protected override DbCommand CreateDbCommand() => new CountingCommand(inner.CreateCommand(), this);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await inner.DisposeAsync();
        await base.DisposeAsync();
    }

    private sealed class CountingCommand(DbCommand inner, DbConnection owner) : DbCommand
    {
        [AllowNull]
        public override string CommandText { get => inner.CommandText; set => inner.CommandText = value; }

        public override int CommandTimeout { get => inner.CommandTimeout; set => inner.CommandTimeout = value; }

        public override CommandType CommandType { get => inner.CommandType; set => inner.CommandType = value; }

        public override bool DesignTimeVisible { get => inner.DesignTimeVisible; set => inner.DesignTimeVisible = value; }

        public override UpdateRowSource UpdatedRowSource { get => inner.UpdatedRowSource; set => inner.UpdatedRowSource = value; }

        protected override DbConnection? DbConnection { get => owner; set { } }

        protected override DbParameterCollection DbParameterCollection => inner.Parameters;

        protected override DbTransaction? DbTransaction { get => inner.Transaction; set => inner.Transaction = value; }

        public override void Cancel() => inner.Cancel();

        public override void Prepare() => inner.Prepare();

        protected override DbParameter CreateDbParameter() => inner.CreateParameter();

        public override int ExecuteNonQuery()
        {
            SqlCommandCounter.CountOne(inner.CommandText);
            return inner.ExecuteNonQuery();
        }

        public override object? ExecuteScalar()
        {
            SqlCommandCounter.CountOne(inner.CommandText);
            return inner.ExecuteScalar();
        }

        protected override DbDataReader ExecuteDbDataReader(CommandBehavior behavior)
        {
            SqlCommandCounter.CountOne(inner.CommandText);
            return inner.ExecuteReader(behavior);
        }

        public override Task<int> ExecuteNonQueryAsync(CancellationToken cancellationToken)
        {
            SqlCommandCounter.CountOne(inner.CommandText);
            return inner.ExecuteNonQueryAsync(cancellationToken);
        }

        public override Task<object?> ExecuteScalarAsync(CancellationToken cancellationToken)
        {
            SqlCommandCounter.CountOne(inner.CommandText);
            return inner.ExecuteScalarAsync(cancellationToken);
        }

        protected override Task<DbDataReader> ExecuteDbDataReaderAsync(CommandBehavior behavior, CancellationToken cancellationToken)
        {
            SqlCommandCounter.CountOne(inner.CommandText);
            return inner.ExecuteReaderAsync(behavior, cancellationToken);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
