using Marketplace.Data.Migrations;
using Microsoft.SqlServer.TransactSql.ScriptDom;

namespace Marketplace.Data.Tests.Migrations;

/// <summary>
/// No SQL Server runs on these machines, so the SQL Server migrations are at least parsed by Microsoft's own T-SQL
/// parser (ScriptDom, the one SSMS and SqlPackage use): a syntax error fails here rather than on a customer's server.
/// The SQL Server engine tests run them for real when MARKETPLACE_TEST_SQLSERVER is set.
/// </summary>
public sealed class SqlServerScriptTests
{
    public static TheoryData<string> Scripts()
    {
        var data = new TheoryData<string>();
        foreach (var script in MigrationScript.LoadEmbedded(SqlDialect.SqlServer))
        {
            data.Add(script.FileName);
        }

        return data;
    }

    [Theory, MemberData(nameof(Scripts))]
    public void Migration_ParsesAsTSql(string fileName)
    {
        var script = MigrationScript.LoadEmbedded(SqlDialect.SqlServer).Single(s => s.FileName == fileName);
        var parser = new TSql160Parser(initialQuotedIdentifiers: true);

        using var reader = new StringReader(script.Sql);
        var fragment = parser.Parse(reader, out var errors);

        Assert.True(errors.Count == 0, string.Join("\n", errors.Select(e => $"{fileName} line {e.Line}, column {e.Column}: {e.Message}")));
        Assert.NotEmpty(((TSqlScript)fragment).Batches);
    }

    [Fact]
    public void AColumnAddedByAlterTable_IsNotUsedInTheSameBatch()
    {
        // SQL Server compiles a batch before running it: an UPDATE naming a column that an ALTER TABLE earlier in the
        // same batch adds fails with "Invalid column name". Such scripts need GO between the two.
        var problems = new List<string>();
        foreach (var script in MigrationScript.LoadEmbedded(SqlDialect.SqlServer))
        {
            var parsed = (TSqlScript)new TSql160Parser(initialQuotedIdentifiers: true).Parse(new StringReader(script.Sql), out _);
            foreach (var batch in parsed.Batches)
            {
                var added = batch.Statements.OfType<AlterTableAddTableElementStatement>()
                    .SelectMany(a => a.Definition.ColumnDefinitions.Select(c => c.ColumnIdentifier.Value))
                    .ToHashSet(StringComparer.OrdinalIgnoreCase);
                foreach (var statement in batch.Statements.Where(s => s is not AlterTableAddTableElementStatement))
                {
                    var text = script.Sql.Substring(statement.StartOffset, statement.FragmentLength);
                    problems.AddRange(added.Where(column => System.Text.RegularExpressions.Regex.IsMatch(text, $@"\b{column}\b", System.Text.RegularExpressions.RegexOptions.IgnoreCase))
                        .Select(column => $"{script.FileName}: {column} is added and used in one batch"));
                }
            }
        }

        Assert.Empty(problems);
    }
}
