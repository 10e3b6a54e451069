using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using Marketplace.Core.Organisations;

namespace Marketplace.Data.Accounts;

/// <summary>
/// URL and CLI names for organisations: lower-case ASCII words joined by hyphens, from the English name when
/// there is one. A Chinese-only name gives "enterprise-" or "vendor-" and a short random tail, since the
/// code has no transliteration table and a slug must be typeable on any keyboard.
/// </summary>
public static class Slugs
{
    public const int MaxLength = 60;

    public static string FromName(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return "";
        }

        var builder = new StringBuilder();
        foreach (var c in name.Normalize(NormalizationForm.FormKD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            if (char.IsAsciiLetterOrDigit(c))
            {
                builder.Append(char.ToLowerInvariant(c));
            }
            else if (builder.Length > 0 && builder[^1] != '-')
            {
                builder.Append('-');
            }
        }

        var slug = builder.ToString().Trim('-');
        if (slug.Length > MaxLength)
        {
            slug = slug[..MaxLength];
            var lastDash = slug.LastIndexOf('-');
            slug = (lastDash > MaxLength / 2 ? slug[..lastDash] : slug).Trim('-');
        }

        return slug;
    }

    /// <summary>A slug for a new organisation that no other organisation has, checked inside the caller's transaction.</summary>
    public static async Task<string> UniqueAsync(DbConnection connection, DbTransaction? transaction, OrganisationKind kind, string? preferredName, string name, CancellationToken cancellationToken)
    {
        var stem = FromName(preferredName);
        if (stem.Length < 3)
        {
            stem = FromName(name);
        }

        if (stem.Length < 3)
        {
            stem = $"{kind.ToStorage().Replace('_', '-')}-{RandomTail()}";
        }

        for (var n = 1; n < 50; n++)
        {
            var candidate = n == 1 ? stem : $"{stem}-{n}";
            var taken = await connection.ExecuteScalarAsync<int>(new CommandDefinition(
                "SELECT COUNT(*) FROM organisations WHERE slug = @Slug", new { Slug = candidate }, transaction, cancellationToken: cancellationToken));
            if (taken == 0)
            {
                return candidate;
            }
        }

        return $"{stem}-{RandomTail()}";
    }

    private static string RandomTail() => RandomNumberGenerator.GetString("abcdefghijkmnpqrstuvwxyz23456789", 6);
}
