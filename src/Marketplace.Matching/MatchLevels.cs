namespace Marketplace.Matching;

/// <summary>How good a match is, in words a factory engineer can act on.</summary>
public enum MatchLevel
{
    High,
    Medium,
    Low,

    /// <summary>Below the relevance cut-off: not shown as a match.</summary>
    None,
}

/// <summary>
/// The matcher's score (one scale for every challenge and vendor) turned into a level. The thresholds are calibrated
/// on the labelled set seeds/eval with the default matcher, counting every unjudged pair as not relevant
/// (docs/matching.md, "What a score means"; MatchLevelCalibrationTests re-checks them): at High about 9 in 10 pairs
/// were relevant, at Medium about 1 in 3, at Low fewer than 1 in 10; below Low almost none.
/// </summary>
public static class MatchLevels
{
    public const double HighFrom = 0.20;
    public const double MediumFrom = 0.12;
    public const double LowFrom = 0.08;

    /// <summary>Recommendations to vendors stop here: a weaker match wastes a bidder's time.</summary>
    public const double RecommendationCutOff = MediumFrom;

    public static MatchLevel Of(double score) => score switch
    {
        >= HighFrom => MatchLevel.High,
        >= MediumFrom => MatchLevel.Medium,
        >= LowFrom => MatchLevel.Low,
        _ => MatchLevel.None,
    };
}
