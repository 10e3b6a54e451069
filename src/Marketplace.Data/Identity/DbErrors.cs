using System.Data.Common;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Marketplace.Data.Identity;

/// <summary>Recognises the engines' own ways of saying "that unique value is taken".</summary>
public static class DbErrors
{
    public static bool IsUniqueViolation(DbException exception) => exception switch
    {
        // SQLITE_CONSTRAINT with the UNIQUE or PRIMARY KEY extended codes (2067, 1555).
        SqliteException sqlite => sqlite.SqliteErrorCode == 19 && sqlite.SqliteExtendedErrorCode is 2067 or 1555,
        PostgresException postgres => postgres.SqlState == PostgresErrorCodes.UniqueViolation,
        SqlException sqlServer => sqlServer.Number is 2627 or 2601,
        _ => false,
    };
}
