using System.Globalization;
using Marketplace.Matching;

namespace Marketplace.Benchmarks;

/// <summary>
/// `tune`: measures weighting schemes, case aggregations, profile blends and field weights on
/// seeds/eval and prints one line per setting, best last. The defaults in MatchOptions come from here.
/// </summary>
public static class Tune
{
    public static int Run(string root)
    {
        var eval = EvalSet.Load(root);
        Console.WriteLine($"seeds/eval: {eval.Challenges.Count} challenges, {eval.Vendors.Count} vendors, {eval.Judgements.Count} judgements");
        Print("plain TF-IDF (sklearn-equivalent)", eval.Evaluate(MatchOptions.Plain));
        Print("plain BM25", eval.Evaluate(MatchOptions.Bm25Plain));
        Print("chosen default", eval.Evaluate(MatchOptions.Default));
        Console.WriteLine();

        var results = new List<(string Name, Marketplace.Matching.Evaluation.EvaluationSummary Summary)>();
        foreach (var scheme in new[] { WeightingScheme.TfIdf, WeightingScheme.Bm25 })
        {
            foreach (var aggregation in new[] { CaseAggregation.Concatenate, CaseAggregation.Max, CaseAggregation.TopMean, CaseAggregation.Mean })
            {
                var profileWeights = aggregation == CaseAggregation.Concatenate ? new[] { 1f } : new[] { 0f, 0.25f, 0.5f, 0.75f };
                foreach (var profileWeight in profileWeights)
                {
                    foreach (var tagShare in new[] { 0f, 0.2f, 0.3f, 0.4f, 0.5f })
                    {
                        foreach (var fields in new[] { FieldWeights.Equal, new FieldWeights(2, 1, 1, 1), new FieldWeights(2, 1, 0.5f, 1) })
                        {
                            var options = MatchOptions.Default with { Scheme = scheme, Aggregation = aggregation, ProfileWeight = profileWeight, Fields = fields, TagShare = tagShare };
                            var name = string.Create(CultureInfo.InvariantCulture,
                                $"{scheme,-6} {aggregation,-11} profile {profileWeight:F2} tags {tagShare:F1} fields {fields.Title}/{fields.Body}/{fields.Targets}/{fields.Tags}");
                            results.Add((name, eval.Evaluate(options)));
                        }
                    }
                }
            }
        }

        foreach (var (name, summary) in results.OrderBy(r => r.Summary.NdcgAt10 + r.Summary.MeanAveragePrecision))
        {
            Print(name, summary);
        }

        return 0;
    }

    private static void Print(string name, Marketplace.Matching.Evaluation.EvaluationSummary summary) =>
        Console.WriteLine($"{name,-60} {summary}");
}
