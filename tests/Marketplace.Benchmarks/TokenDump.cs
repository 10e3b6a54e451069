using System.Text;
using Marketplace.Matching;
using Marketplace.Matching.Indexing;
using Marketplace.Matching.Text;

namespace Marketplace.Benchmarks;

/// <summary>
/// Writes documents as the analyzer sees them under MatchOptions.Plain (every field weight 1, tags
/// as "#slug" terms, a vendor's profile and cases concatenated), for the scikit-learn baseline.
/// </summary>
public static class TokenDump
{
    public static void Write(string path, IEnumerable<ChallengeDocument> challenges, IEnumerable<VendorDocument> vendors)
    {
        using var writer = new StreamWriter(path, append: false, new UTF8Encoding(false));
        foreach (var challenge in challenges)
        {
            writer.WriteLine(Line("c", challenge));
        }

        foreach (var vendor in vendors)
        {
            writer.WriteLine(Line("v", vendor));
        }
    }

    public static string Line(string kind, ChallengeDocument challenge) =>
        $"{kind}\t{challenge.Id}\t{Tokens([challenge.Title, challenge.Description, .. challenge.AcceptanceTargets], challenge.Tags)}";

    public static string Line(string kind, VendorDocument vendor) =>
        $"{kind}\t{vendor.Id}\t{Tokens([vendor.Profile, .. vendor.Portfolio.SelectMany(c => new[] { c.Title, c.Text })], vendor.Tags)}";

    private static string Tokens(IEnumerable<string> texts, IEnumerable<string> tags) =>
        string.Join(' ', texts.SelectMany(Tokenizer.Tokenize).Concat(tags.Select(t => DocumentAnalyzer.TagPrefix + t.Trim().ToLowerInvariant())));
}
