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
public sealed record RerankerReport(bool UseModel, string Reason, int Signals, EvaluationSummary? TextBaseline, EvaluationSummary? Model, RankingModel? Ranker)
{
    /// <summary>The score to rank by: the model's when it earned its place, else the text score.</summary>
    public double ScoreOf(PairFeatures features) => UseModel && Ranker is not null ? Ranker.Score(features) : features.TextScore;

    /// <summary>Scores for many pairs: one pass through the model when it is used.</summary>
    public IReadOnlyList<double> ScoresOf(IReadOnlyList<PairFeatures> features) =>
        UseModel && Ranker is not null ? [.. Ranker.Score(features).Select(s => (double)s)] : [.. features.Select(f => f.TextScore)];
}

/// <summary>
/// Learns from judged pairs and decisions (invited, dismissed, shortlisted, awarded) to re-rank the text ranker's
/// candidates with a LambdaMART model (ML.NET LightGBM), and refuses to replace the text score unless the model is
/// measurably better on challenges it was not trained on, by the same metrics as the text ranker's evaluation.
/// </summary>
public static class LearnedRanker
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

        var model = RankingModel.Train(training);
        var modelScores = model.Score([.. heldOut.Select(p => p.Features)]);
        var scored = heldOut.Select((p, i) => (Pair: p, Score: (double)modelScores[i])).ToList();
        var baseline = RankingMetrics.Evaluate(Rank(scored, x => x.Pair.Features.TextScore), judgements);
        var learned = RankingMetrics.Evaluate(Rank(scored, x => x.Score), judgements);
        var better = learned.NdcgAt10 >= baseline.NdcgAt10 + settings.MinimumImprovement && learned.MeanAveragePrecision >= baseline.MeanAveragePrecision;
        var reason = better
            ? FormattableString.Invariant($"held-out nDCG@10 {learned.NdcgAt10:F3} beats the text score's {baseline.NdcgAt10:F3} ({heldOutQueries} challenges)")
            : FormattableString.Invariant($"held-out nDCG@10 {learned.NdcgAt10:F3} / MAP {learned.MeanAveragePrecision:F3} does not beat the text score's {baseline.NdcgAt10:F3} / {baseline.MeanAveragePrecision:F3} by {settings.MinimumImprovement}");
        return new RerankerReport(better, reason, pairs.Count, baseline, learned, model);
    }

    private static Dictionary<string, IReadOnlyList<string>> Rank(IEnumerable<(LabelledPair Pair, double Score)> pairs, Func<(LabelledPair Pair, double Score), double> score) =>
        pairs.GroupBy(p => p.Pair.ChallengeId, StringComparer.Ordinal).ToDictionary(
            g => g.Key,
            g => (IReadOnlyList<string>)[.. g.OrderByDescending(score).ThenBy(p => p.Pair.VendorId, StringComparer.Ordinal).Select(p => p.Pair.VendorId)],
            StringComparer.Ordinal);

    /// <summary>A stable split by challenge (FNV-1a of the id), so a challenge never straddles training and held-out sets.</summary>
    public static bool IsHeldOut(string challengeId, double share) => StableHash(challengeId) % 1000 < share * 1000;

    public static uint StableHash(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return hash;
    }
}
