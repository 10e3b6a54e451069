using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Marketplace.Data.Migrations;

/// <summary>One forward-only migration file: sql/&lt;dialect&gt;/NNNN_description.sql.</summary>
public sealed partial record MigrationScript(int Version, string Name, string Sql, string Checksum)
{
    [GeneratedRegex(@"^(?<version>\d{4})_(?<name>[a-z0-9_]+)\.sql$")]
    private static partial Regex FileNamePattern();

    public string FileName => $"{Version:D4}_{Name}.sql";

    /// <summary>Checksum over the text with line endings normalised, so a checkout on Windows does not look edited.</summary>
    public static string ComputeChecksum(string sql)
    {
        var normalised = sql.Replace("\r\n", "\n", StringComparison.Ordinal);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(normalised)));
    }

    public static MigrationScript FromFile(string fileName, string sql)
    {
        var match = FileNamePattern().Match(fileName);
        if (!match.Success)
        {
            throw new MigrationException($"Migration file '{fileName}' is not named NNNN_snake_case_description.sql.");
        }

        return new MigrationScript(
            int.Parse(match.Groups["version"].Value, CultureInfo.InvariantCulture),
            match.Groups["name"].Value,
            sql,
            ComputeChecksum(sql));
    }

    /// <summary>The migrations embedded in this assembly for one dialect, in version order.</summary>
    public static IReadOnlyList<MigrationScript> LoadEmbedded(SqlDialect dialect)
    {
        var assembly = typeof(MigrationScript).Assembly;
        var prefix = $"sql/{dialect.Name}/";
        var scripts = assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith(prefix, StringComparison.Ordinal))
            .Select(name => FromFile(name[prefix.Length..], ReadResource(assembly, name)))
            .OrderBy(script => script.Version)
            .ToList();

        var duplicate = scripts.GroupBy(s => s.Version).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new MigrationException($"Two {dialect.Name} migrations share number {duplicate.Key:D4}: {string.Join(", ", duplicate.Select(s => s.FileName))}.");
        }

        return scripts;
    }

    private static string ReadResource(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
