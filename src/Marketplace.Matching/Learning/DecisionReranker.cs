using Marketplace.Matching.Evaluation;

namespace Marketplace.Matching.Learning;

public sealed record RerankerSettings
{
    /// <summary>Below this many labelled pairs the text score stands without trying.</summary>
    public int MinimumSignals { get; init; } = 200;

    /// <summary>Held-out challenges with at least one positive decision needed for a trustworthy comparison.</summary>
    public int MinimumHeldOutQueries { get; init; } = 5;

    /// <summary>How much better (held-out nDCG@10) the model must be before it replaces the text score.</summary>
    public double MinimumImprovement { get; init; } = 0.01;

    /// <summary>Share of challenges (chosen by a stable hash of the id) held out for the comparison.</summary>
    public double HeldOutShare { get; init; } = 0.3;
}

/// <summary>The outcome of training: whether to use the model, why, and the held-out figures.</summary>
public sealed record RerankerReport(bool UseModel, string Reason, int Signals, EvaluationSummary? TextBaseline, EvaluationSummary? Model, LogisticRegression? Regression)
{
    /// <summary>The score to rank by: the model's probability when it earned its place, else the text score.</summary>
    public double ScoreOf(PairFeatures features) => UseModel && Regression is not null ? Regression.Predict(features.ToArray()) : features.TextScore;
}

/// <summary>
/// Learns from decisions (invited, dismissed, shortlisted, awarded) to re-rank the text matcher's
/// candidates, and refuses to replace the text score unless it is measurably better on challenges
/// it was not trained on, by the same metrics as the text matcher's evaluation.
/// </summary>
public static class DecisionReranker
{
    public static RerankerReport Train(IReadOnlyList<LabelledPair> pairs, RerankerSettings? settings = null)
    {
        settings ??= new RerankerSettings();
        if (pairs.Count < settings.MinimumSignals)
        {
            return new RerankerReport(false, $"only {pairs.Count} labelled pairs; {settings.MinimumSignals} needed", pairs.Count, null, null, null);
        }

        var heldOut = pairs.Where(p => IsHeldOut(p.ChallengeId, settings.HeldOutShare)).ToList();
        var training = pairs.Where(p => !IsHeldOut(p.ChallengeId, settings.HeldOutShare)).ToList();
        var judgements = new Judgements();
        foreach (var pair in heldOut)
        {
            judgements.Add(pair.ChallengeId, pair.VendorId, pair.Grade);
        }

        var heldOutQueries = judgements.ByQuery.Count(q => q.Value.Values.Any(g => g > 0));
        if (heldOutQueries < settings.MinimumHeldOutQueries || training.Select(p => p.Grade > 0).Distinct().Count() < 2)
        {
            return new RerankerReport(false, $"{heldOutQueries} held-out challenges with a positive decision; {settings.MinimumHeldOutQueries} needed, and training needs both outcomes", pairs.Count, null, null, null);
        }

        var model = LogisticRegression.Fit([.. training.Select(p => p.Features.ToArray())], [.. training.Select(p => p.Grade > 0)]);
        var baseline = RankingMetrics.Evaluate(Rank(heldOut, p => p.Features.TextScore), judgements);
        var learned = RankingMetrics.Evaluate(Rank(heldOut, p => model.Predict(p.Features.ToArray())), judgements);
        var better = learned.NdcgAt10 >= baseline.NdcgAt10 + settings.MinimumImprovement && learned.MeanAveragePrecision >= baseline.MeanAveragePrecision;
        var reason = better
            ? FormattableString.Invariant($"held-out nDCG@10 {learned.NdcgAt10:F3} beats the text score's {baseline.NdcgAt10:F3}")
            : FormattableString.Invariant($"held-out nDCG@10 {learned.NdcgAt10:F3} / MAP {learned.MeanAveragePrecision:F3} does not beat the text score's {baseline.NdcgAt10:F3} / {baseline.MeanAveragePrecision:F3} by {settings.MinimumImprovement}");
        return new RerankerReport(better, reason, pairs.Count, baseline, learned, model);
    }

    private static Dictionary<string, IReadOnlyList<string>> Rank(IEnumerable<LabelledPair> pairs, Func<LabelledPair, double> score) =>
        pairs.GroupBy(p => p.ChallengeId, StringComparer.Ordinal).ToDictionary(
            g => g.Key,
            g => (IReadOnlyList<string>)[.. g.OrderByDescending(score).ThenBy(p => p.VendorId, StringComparer.Ordinal).Select(p => p.VendorId)],
            StringComparer.Ordinal);

    /// <summary>A stable split by challenge (FNV-1a of the id), so a challenge never straddles training and held-out sets.</summary>
    private static bool IsHeldOut(string challengeId, double share)
    {
        var hash = 2166136261u;
        foreach (var c in challengeId)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return hash % 1000 < share * 1000;
    }
}
