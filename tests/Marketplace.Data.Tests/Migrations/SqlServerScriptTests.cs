using System.Text.RegularExpressions;
using Marketplace.Data.Migrations;
using Microsoft.SqlServer.TransactSql.ScriptDom;

namespace Marketplace.Data.Tests.Migrations;

/// <summary>
/// No SQL Server runs here, so its migrations are at least parsed: every GO-separated batch of every script must be
/// valid T-SQL for SQL Server 2022 (the parser Microsoft's own tools use), and a trigger must open its batch.
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
}
