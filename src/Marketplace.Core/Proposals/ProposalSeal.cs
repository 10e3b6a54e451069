using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Marketplace.Core.Proposals;

/// <summary>
/// The sealed form of a submission: the technical envelope as the exact JSON text stored, and the SHA-256
/// fingerprint over a random per-version salt, it, the price envelope and the identity of the version. The vendor
/// keeps the fingerprint and the salt as a receipt; anyone holding the stored rows can recompute it and prove nothing
/// changed. The salt is what keeps the price sealed: without it the fingerprint was a hash over fields the enterprise
/// can read after the deadline plus the price, so a guessed price could be confirmed offline (issue #12). Only the
/// author ever receives the salt.
/// </summary>
public static class ProposalSeal
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = false };

    public static string Serialize(TechnicalEnvelope technical) => JsonSerializer.Serialize(technical, Json);

    public static TechnicalEnvelope Deserialize(string json) =>
        string.IsNullOrWhiteSpace(json) ? new TechnicalEnvelope() : JsonSerializer.Deserialize<TechnicalEnvelope>(json, Json) ?? new TechnicalEnvelope();

    /// <summary>A new salt: 32 random bytes as lower-case hex.</summary>
    public static string NewSalt() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    /// <summary>
    /// The fingerprint of a version: salted (v2) when a salt is given; unsalted (v1) only for versions sealed before
    /// salts existed, which are recomputed as they were written and never shown to a non-author before prices open.
    /// </summary>
    public static string Fingerprint(long proposalId, int versionNumber, long challengeId, long vendorId, DateTimeOffset submittedAt, string technicalJson, PriceEnvelope price,
        string? salt)
    {
        var text = new StringBuilder();
        if (salt is null)
        {
            text.Append("marketplace-proposal/v1\n");
        }
        else
        {
            text.Append("marketplace-proposal/v2\n").Append("salt:").Append(salt).Append('\n');
        }

        text
            .Append(CultureInfo.InvariantCulture, $"proposal:{proposalId}\n")
            .Append(CultureInfo.InvariantCulture, $"version:{versionNumber}\n")
            .Append(CultureInfo.InvariantCulture, $"challenge:{challengeId}\n")
            .Append(CultureInfo.InvariantCulture, $"vendor:{vendorId}\n")
            .Append("submitted:").Append(submittedAt.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture)).Append('\n')
            .Append("technical:").Append(technicalJson).Append('\n')
            .Append("price:").Append(ProposalRules.CanonicalAmount(price.Amount)).Append('|').Append(price.Currency.Trim()).Append('|').Append(price.PaymentTerms);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}
