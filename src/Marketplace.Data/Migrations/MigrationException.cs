namespace Marketplace.Data.Migrations;

/// <summary>The database and the code disagree about the schema; the message says what to do.</summary>
public sealed class MigrationException : Exception
{
    public MigrationException(string message)
        : base(message)
    {
    }

    public MigrationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public MigrationException()
    {
    }
}
