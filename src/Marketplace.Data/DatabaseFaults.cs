using System.Data.Common;
using System.Net.Sockets;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Marketplace.Data;

/// <summary>What kind of infrastructure fault an exception from the database is, when it is one.</summary>
public enum DatabaseFault
{
    /// <summary>Not a database fault: a bug or something else; it stays a 500.</summary>
    None,

    /// <summary>The server cannot be reached, refused the connection or went away mid-request.</summary>
    Unreachable,

    /// <summary>The database is there but cannot store anything: disk full, read-only file or database.</summary>
    CannotWrite,
}

/// <summary>
/// Tells infrastructure faults of the database (answered with 503: nothing was saved, try again) apart from bugs
/// (500). Per engine: SQLite's result codes, PostgreSQL's SQLSTATE classes and socket errors, SQL Server's error numbers.
/// </summary>
public static class DatabaseFaults
{
    // SQLite primary result codes (the low byte of an extended code).
    private const int SqliteBusy = 5, SqliteLocked = 6, SqliteReadOnly = 8, SqliteIoError = 10, SqliteFull = 13, SqliteCantOpen = 14;

    public static DatabaseFault Classify(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            var fault = current switch
            {
                SqliteException sqlite => (sqlite.SqliteErrorCode & 0xFF) switch
                {
                    SqliteReadOnly or SqliteFull => DatabaseFault.CannotWrite,
                    SqliteIoError or SqliteCantOpen or SqliteBusy or SqliteLocked => DatabaseFault.Unreachable,
                    _ => DatabaseFault.None,
                },
                PostgresException postgres => postgres.SqlState switch
                {
                    "53100" or "25006" => DatabaseFault.CannotWrite, // disk full; read-only transaction (a standby)
                    var state when state.StartsWith("08", StringComparison.Ordinal) || state is "57P01" or "57P02" or "57P03" or "53300" => DatabaseFault.Unreachable,
                    _ => DatabaseFault.None,
                },
                NpgsqlException npgsql when npgsql.InnerException is SocketException or IOException or TimeoutException || npgsql.IsTransient => DatabaseFault.Unreachable,
                SqlException sqlServer => sqlServer.Number switch
                {
                    1105 or 9002 or 3906 => DatabaseFault.CannotWrite, // filegroup full; log full; read-only database
                    -2 or 2 or 53 or 40 or 233 or 4060 or 10054 or 10060 or 10061 => DatabaseFault.Unreachable,
                    _ => DatabaseFault.None,
                },
                SocketException => DatabaseFault.Unreachable,
                _ => DatabaseFault.None,
            };
            if (fault != DatabaseFault.None)
            {
                return fault;
            }

            if (current is DbException && current.InnerException is null)
            {
                break;
            }
        }

        return DatabaseFault.None;
    }
}
