namespace Marketplace.Matching.Learning;

/// <summary>What someone did with a suggested pair.</summary>
public enum DecisionKind
{
    Dismissed,
    Invited,
    Shortlisted,
    Awarded,
}

/// <summary>One logged decision about a (challenge, vendor) pair.</summary>
public sealed record DecisionSignal(string ChallengeId, string VendorId, DecisionKind Kind);

/// <summary>The features of a pair the re-ranker learns from. All lie in [0, 1].</summary>
public sealed record PairFeatures(double TextScore, double TagOverlap, double TrlFit, double PastAwards, double LanguageMatch)
{
    public const int Count = 5;

    public double[] ToArray() => [TextScore, TagOverlap, TrlFit, PastAwards, LanguageMatch];
}

/// <summary>A pair with its features and the grade its strongest decision implies.</summary>
public sealed record LabelledPair(string ChallengeId, string VendorId, PairFeatures Features, int Grade);

public static class FeatureExtractor
{
    /// <summary>
    /// Features of a pair: the text score; the share of the challenge's tags the vendor declares;
    /// TRL fit (1 when the vendor has delivered at the target level, falling by a third per missing
    /// level; 0.5 when unknown); awarded projects so far (log-scaled, 10 or more = 1); same language.
    /// </summary>
    public static PairFeatures Extract(ChallengeDocument challenge, VendorDocument vendor, double textScore, int pastAwards)
    {
        var challengeTags = challenge.Tags.Select(t => t.Trim().ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);
        var tagOverlap = challengeTags.Count == 0
            ? 0
            : vendor.Tags.Select(t => t.Trim().ToLowerInvariant()).Distinct(StringComparer.Ordinal).Count(challengeTags.Contains) / (double)challengeTags.Count;
        var trlFit = challenge.TargetTrl is not { } target || vendor.MaxTrlDelivered is not { } delivered
            ? 0.5
            : delivered >= target ? 1 : Math.Max(0, 1 - ((target - delivered) / 3.0));
        var awards = Math.Min(1, Math.Log(1 + Math.Max(0, pastAwards)) / Math.Log(11));
        var language = challenge.Language is null || vendor.Language is null
            ? 0.5
            : string.Equals(challenge.Language, vendor.Language, StringComparison.OrdinalIgnoreCase) ? 1 : 0;
        return new PairFeatures(textScore, tagOverlap, trlFit, awards, language);
    }

    /// <summary>The grade of a pair from its strongest signal: awarded 2, shortlisted or invited 1, dismissed 0.</summary>
    public static int GradeOf(IEnumerable<DecisionKind> decisions) => decisions.Select(kind => kind switch
    {
        DecisionKind.Awarded => 2,
        DecisionKind.Shortlisted or DecisionKind.Invited => 1,
        _ => 0,
    }).DefaultIfEmpty(0).Max();
}
