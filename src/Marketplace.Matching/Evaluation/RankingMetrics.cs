namespace Marketplace.Matching.Evaluation;

/// <summary>
/// Standard ranking metrics over graded judgements (0 = not relevant, 1 = partly, 2 = good).
/// nDCG uses the trec_eval convention: gain = grade, discount = log2(rank + 1), ideal ranking from
/// all judged documents of the query. MAP and Recall treat grade ≥ 1 as relevant. Unjudged
/// documents count as not relevant.
/// </summary>
public static class RankingMetrics
{
    public static double NdcgAt(IReadOnlyList<string> ranked, IReadOnlyDictionary<string, int> grades, int k)
    {
        var dcg = 0.0;
        for (var i = 0; i < Math.Min(k, ranked.Count); i++)
        {
            dcg += grades.GetValueOrDefault(ranked[i]) / Math.Log2(i + 2);
        }

        var ideal = grades.Values.Where(g => g > 0).OrderByDescending(g => g).Take(k).Select((g, i) => g / Math.Log2(i + 2)).Sum();
        return ideal == 0 ? 0 : dcg / ideal;
    }

    public static double AveragePrecision(IReadOnlyList<string> ranked, IReadOnlyDictionary<string, int> grades)
    {
        var relevant = grades.Values.Count(g => g > 0);
        if (relevant == 0)
        {
            return 0;
        }

        var hits = 0;
        var sum = 0.0;
        for (var i = 0; i < ranked.Count; i++)
        {
            if (grades.GetValueOrDefault(ranked[i]) > 0)
            {
                hits++;
                sum += hits / (double)(i + 1);
            }
        }

        return sum / relevant;
    }

    public static double RecallAt(IReadOnlyList<string> ranked, IReadOnlyDictionary<string, int> grades, int k)
    {
        var relevant = grades.Values.Count(g => g > 0);
        return relevant == 0 ? 0 : ranked.Take(k).Count(id => grades.GetValueOrDefault(id) > 0) / (double)relevant;
    }

    /// <summary>
    /// Means over the queries that have at least one relevant judgement (a query with none has no
    /// defined nDCG, AP or recall). A judged query missing from <paramref name="rankings"/> scores 0.
    /// </summary>
    public static EvaluationSummary Evaluate(IReadOnlyDictionary<string, IReadOnlyList<string>> rankings, Judgements judgements, int k = 10)
    {
        var perQuery = PerQuery(rankings, judgements, k);
        return perQuery.Count == 0
            ? new EvaluationSummary(0, 0, 0, 0)
            : new EvaluationSummary(perQuery.Values.Average(q => q.Ndcg), perQuery.Values.Average(q => q.AveragePrecision), perQuery.Values.Average(q => q.Recall), perQuery.Count);
    }

    /// <summary>nDCG@k, AP and Recall@k of each query with at least one relevant judgement (for confidence intervals).</summary>
    public static Dictionary<string, QueryMetrics> PerQuery(IReadOnlyDictionary<string, IReadOnlyList<string>> rankings, Judgements judgements, int k = 10)
    {
        var result = new Dictionary<string, QueryMetrics>(StringComparer.Ordinal);
        foreach (var (query, grades) in judgements.ByQuery)
        {
            if (grades.Values.Any(g => g > 0))
            {
                var ranked = rankings.GetValueOrDefault(query) ?? [];
                result[query] = new QueryMetrics(NdcgAt(ranked, grades, k), AveragePrecision(ranked, grades), RecallAt(ranked, grades, k));
            }
        }

        return result;
    }
}

public sealed record QueryMetrics(double Ndcg, double AveragePrecision, double Recall);

public sealed record EvaluationSummary(double NdcgAt10, double MeanAveragePrecision, double RecallAt10, int Queries)
{
    public override string ToString() =>
        FormattableString.Invariant($"nDCG@10 {NdcgAt10:F4}  MAP {MeanAveragePrecision:F4}  Recall@10 {RecallAt10:F4}  ({Queries} queries)");
}

/// <summary>Graded judgements by query id, then document id.</summary>
public sealed class Judgements
{
    public Dictionary<string, Dictionary<string, int>> ByQuery { get; } = new(StringComparer.Ordinal);

    public int Count => ByQuery.Values.Sum(q => q.Count);

    public void Add(string query, string document, int grade)
    {
        if (!ByQuery.TryGetValue(query, out var grades))
        {
            ByQuery[query] = grades = new Dictionary<string, int>(StringComparer.Ordinal);
        }

        grades[document] = grade;
    }

    /// <summary>
    /// Reads qrels lines "query TAB document TAB grade" (a fourth column, e.g. a reason, is ignored;
    /// blank lines and lines starting with # are skipped). Returns the line-numbered errors, if any.
    /// </summary>
    public static (Judgements Judgements, List<string> Errors) Parse(TextReader reader)
    {
        var judgements = new Judgements();
        var errors = new List<string>();
        var number = 0;
        while (reader.ReadLine() is { } line)
        {
            number++;
            if (string.IsNullOrWhiteSpace(line) || line.StartsWith('#'))
            {
                continue;
            }

            var fields = line.Split('\t');
            if (fields.Length < 3 || fields[0].Trim().Length == 0 || fields[1].Trim().Length == 0)
            {
                errors.Add($"line {number}: expected challengeId<TAB>vendorId<TAB>grade");
            }
            else if (!int.TryParse(fields[2].Trim(), System.Globalization.CultureInfo.InvariantCulture, out var grade) || grade is < 0 or > 2)
            {
                errors.Add($"line {number}: grade must be 0, 1 or 2, not '{fields[2].Trim()}'");
            }
            else
            {
                judgements.Add(fields[0].Trim(), fields[1].Trim(), grade);
            }
        }

        return (judgements, errors);
    }
}
