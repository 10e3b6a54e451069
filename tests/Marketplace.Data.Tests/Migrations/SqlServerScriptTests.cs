using System.Text.RegularExpressions;
using Marketplace.Data.Migrations;
using Microsoft.SqlServer.TransactSql.ScriptDom;

namespace Marketplace.Data.Tests.Migrations;

/// <summary>
/// No SQL Server runs here, so its migrations are at least parsed: every GO-separated batch of every script must be
/// valid T-SQL for SQL Server 2022 (the parser Microsoft's own tools use), a trigger must open its batch, and a column
/// added by ALTER TABLE must not be used in the same batch. The SQL Server engine tests run the scripts for real when
/// MARKETPLACE_TEST_SQLSERVER is set.
/// </summary>
public sealed partial class SqlServerScriptTests
{
    [GeneratedRegex(@"^\s*GO\s*$", RegexOptions.Multiline | RegexOptions.IgnoreCase)]
    private static partial Regex GoSeparator();

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
    public void EveryBatch_ParsesAsTSql(string fileName)
    {
        var script = MigrationScript.LoadEmbedded(SqlDialect.SqlServer).Single(s => s.FileName == fileName);
        var parser = new TSql160Parser(initialQuotedIdentifiers: true);
        foreach (var batch in GoSeparator().Split(script.Sql).Where(b => !string.IsNullOrWhiteSpace(b)))
        {
            using var reader = new StringReader(batch);
            var fragment = parser.Parse(reader, out var errors);
            Assert.True(errors.Count == 0, $"{fileName}: " + string.Join("; ", errors.Select(e => $"line {e.Line}: {e.Message}")));
            var statements = ((TSqlScript)fragment).Batches.SelectMany(b => b.Statements).ToList();
            var trigger = statements.FindIndex(s => s is CreateTriggerStatement);
            Assert.True(trigger <= 0, $"{fileName}: CREATE TRIGGER must be the first statement of its batch");
        }
    }

    [Fact]
    public void AColumnAddedByAlterTable_IsNotUsedInTheSameBatch()
    {
        // SQL Server compiles a batch before running it: an UPDATE naming a column that an ALTER TABLE earlier in the
        // same batch adds fails with "Invalid column name". Such scripts need GO between the two.
        var problems = new List<string>();
        foreach (var script in MigrationScript.LoadEmbedded(SqlDialect.SqlServer))
        {
            foreach (var batchText in GoSeparator().Split(script.Sql).Where(b => !string.IsNullOrWhiteSpace(b)))
            {
                var parsed = (TSqlScript)new TSql160Parser(initialQuotedIdentifiers: true).Parse(new StringReader(batchText), out _);
                var statements = parsed.Batches.SelectMany(b => b.Statements).ToList();
                var added = statements.OfType<AlterTableAddTableElementStatement>()
                    .SelectMany(a => a.Definition.ColumnDefinitions.Select(c => c.ColumnIdentifier.Value))
                    .ToHashSet(StringComparer.OrdinalIgnoreCase);
                foreach (var statement in statements.Where(s => s is not AlterTableAddTableElementStatement))
                {
                    var text = batchText.Substring(statement.StartOffset, statement.FragmentLength);
                    problems.AddRange(added.Where(column => Regex.IsMatch(text, $@"\b{column}\b", RegexOptions.IgnoreCase))
                        .Select(column => $"{script.FileName}: {column} is added and used in one batch"));
                }
            }
        }

        Assert.Empty(problems);
    }
}
