using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Marketplace.Core.Proposals;

/// <summary>
/// The sealed form of a submission: the technical envelope as the exact JSON text stored, and the SHA-256
/// fingerprint over it, the price envelope and the identity of the version. The vendor keeps the fingerprint as a
/// receipt; anyone holding the stored rows can recompute it and prove nothing changed.
/// </summary>
public static class ProposalSeal
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = false };

    public static string Serialize(TechnicalEnvelope technical) => JsonSerializer.Serialize(technical, Json);

    public static TechnicalEnvelope Deserialize(string json) =>
        string.IsNullOrWhiteSpace(json) ? new TechnicalEnvelope() : JsonSerializer.Deserialize<TechnicalEnvelope>(json, Json) ?? new TechnicalEnvelope();

    public static string Fingerprint(long proposalId, int versionNumber, long challengeId, long vendorId, DateTimeOffset submittedAt, string technicalJson, PriceEnvelope price)
    {
        var text = new StringBuilder()
            .Append("marketplace-proposal/v1\n")
            .Append(CultureInfo.InvariantCulture, $"proposal:{proposalId}\n")
            .Append(CultureInfo.InvariantCulture, $"version:{versionNumber}\n")
            .Append(CultureInfo.InvariantCulture, $"challenge:{challengeId}\n")
            .Append(CultureInfo.InvariantCulture, $"vendor:{vendorId}\n")
            .Append("submitted:").Append(submittedAt.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture)).Append('\n')
            .Append("technical:").Append(technicalJson).Append('\n')
            .Append("price:").Append(ProposalRules.CanonicalAmount(price.Amount)).Append('|').Append(price.Currency.Trim()).Append('|').Append(price.PaymentTerms)
            .ToString();
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }
}
