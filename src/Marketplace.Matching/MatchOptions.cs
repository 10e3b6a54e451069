namespace Marketplace.Matching;

public enum WeightingScheme
{
    /// <summary>Sublinear tf (1 + ln tf), smoothed idf (ln((1+N)/(1+df)) + 1), L2-normalised: scikit-learn's TfidfVectorizer.</summary>
    TfIdf,

    /// <summary>BM25 term weights (k1, b, length normalised per kind of text) on both sides, L2-normalised, compared by cosine.</summary>
    Bm25,
}

public enum CaseAggregation
{
    /// <summary>Profile and every case concatenated into one text: the plain baseline.</summary>
    Concatenate,

    /// <summary>The best-matching case.</summary>
    Max,

    /// <summary>The mean of the <see cref="MatchOptions.TopCases"/> best-matching cases.</summary>
    TopMean,

    /// <summary>The mean over all cases.</summary>
    Mean,
}

/// <summary>Per-field multipliers applied to term counts before weighting.</summary>
public sealed record FieldWeights(float Title, float Body, float Targets, float Tags)
{
    public static FieldWeights Equal { get; } = new(1, 1, 1, 1);
}

/// <summary>
/// How documents are weighted and combined. <see cref="Default"/> holds the values chosen by
/// measurement on seeds/eval (docs/matching.md); <see cref="Plain"/> is the scikit-learn-equivalent baseline.
/// </summary>
public sealed record MatchOptions
{
    public WeightingScheme Scheme { get; init; } = WeightingScheme.Bm25;

    public FieldWeights Fields { get; init; } = new(2, 1, 0.5f, 1);

    public CaseAggregation Aggregation { get; init; } = CaseAggregation.Max;

    /// <summary>Share of the vendor score that comes from the profile; the rest comes from the cases.</summary>
    public float ProfileWeight { get; init; } = 0.75f;

    public int TopCases { get; init; } = 2;

    /// <summary>
    /// Share of the similarity that comes from tags (capability slugs) rather than text, 0-1. Tags
    /// are the only bridge between a Chinese challenge and an English vendor, and they are short,
    /// so without a guaranteed share they drown in long texts. 0 treats tags as ordinary terms.
    /// </summary>
    public float TagShare { get; init; } = 0.3f;

    public float Bm25K1 { get; init; } = 1.2f;

    public float Bm25B { get; init; } = 0.75f;

    public static MatchOptions Default { get; } = new();

    public static MatchOptions Plain { get; } = new()
    {
        Scheme = WeightingScheme.TfIdf,
        Fields = FieldWeights.Equal,
        Aggregation = CaseAggregation.Concatenate,
        ProfileWeight = 1,
        TagShare = 0,
    };

    public static MatchOptions Bm25Plain { get; } = Plain with { Scheme = WeightingScheme.Bm25 };
}
