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

/// <summary>
/// The features of a pair the learned ranker sees, all in [0, 1]. <see cref="TextScore"/> is the text ranker's own
/// score (the fallback); the rest are the signals it is built from and what text cannot know.
/// </summary>
public sealed record PairFeatures(
    double TextScore,
    double IndexScore,
    double Words,
    double TitleWords,
    double ProfileWords,
    double Bigrams,
    double Concepts,
    double ConceptCoverage,
    double BestCaseWords,
    double BestCaseConcepts,
    double TagOverlap,
    double TrlFit,
    double LanguageMatch,
    double PastAwards,
    double Fused = 0,
    double BestCaseFused = 0)
{
    public const int Count = 16;

    /// <summary>A pair that shares nothing and is known for nothing (what `match --all` writes for unmatched pairs).</summary>
    public static PairFeatures None { get; } = new(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0.5, 0.5, 0);

    public static IReadOnlyList<string> Names { get; } =
    [
        "text", "index", "words", "title-words", "profile-words", "bigrams", "concepts", "concept-coverage",
        "best-case-words", "best-case-concepts", "tag-overlap", "trl-fit", "language", "past-awards", "fused", "best-case-fused",
    ];

    public float[] ToArray() =>
    [
        (float)TextScore, (float)IndexScore, (float)Words, (float)TitleWords, (float)ProfileWords, (float)Bigrams, (float)Concepts,
        (float)ConceptCoverage, (float)BestCaseWords, (float)BestCaseConcepts, (float)TagOverlap, (float)TrlFit, (float)LanguageMatch, (float)PastAwards,
        (float)Fused, (float)BestCaseFused,
    ];
}

/// <summary>A pair with its features and the grade its strongest decision (or a judge) gives it.</summary>
public sealed record LabelledPair(string ChallengeId, string VendorId, PairFeatures Features, int Grade);

public static class FeatureExtractor
{
    /// <summary>
    /// The features text cannot give: the share of the challenge's tags the vendor declares; TRL fit (1 when the vendor
    /// has delivered at the target level, falling by a third per missing level; 0.5 when unknown); awarded projects so
    /// far (log-scaled, 10 or more = 1); same language (0.5 when unknown).
    /// </summary>
    public static (double TagOverlap, double TrlFit, double LanguageMatch, double PastAwards) NonText(ChallengeDocument challenge, VendorDocument vendor, int pastAwards, string? challengeLanguage = null, string? vendorLanguage = null)
    {
        var challengeTags = challenge.Tags.Select(t => t.Trim().ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);
        var tagOverlap = challengeTags.Count == 0
            ? 0
            : vendor.Tags.Select(t => t.Trim().ToLowerInvariant()).Distinct(StringComparer.Ordinal).Count(challengeTags.Contains) / (double)challengeTags.Count;
        var trlFit = challenge.TargetTrl is not { } target || vendor.MaxTrlDelivered is not { } delivered
            ? 0.5
            : delivered >= target ? 1 : Math.Max(0, 1 - ((target - delivered) / 3.0));
        var awards = Math.Min(1, Math.Log(1 + Math.Max(0, pastAwards)) / Math.Log(11));
        var cl = challenge.Language ?? challengeLanguage;
        var vl = vendor.Language ?? vendorLanguage;
        var language = cl is null || vl is null ? 0.5 : string.Equals(cl, vl, StringComparison.OrdinalIgnoreCase) ? 1 : 0;
        return (tagOverlap, trlFit, language, awards);
    }

    /// <summary>The grade of a pair from its strongest signal: awarded 2, shortlisted or invited 1, dismissed 0.</summary>
    public static int GradeOf(IEnumerable<DecisionKind> decisions) => decisions.Select(kind => kind switch
    {
        DecisionKind.Awarded => 2,
        DecisionKind.Shortlisted or DecisionKind.Invited => 1,
        _ => 0,
    }).DefaultIfEmpty(0).Max();
}
