using System.Diagnostics;
using System.Globalization;
using Marketplace.Matching;
using Marketplace.Matching.Evaluation;

namespace Marketplace.Benchmarks;

/// <summary>
/// `compare-sklearn`: runs the scikit-learn baseline on seeds/eval with our tokens and the same
/// settings as MatchOptions.Plain, and reports (1) Spearman rank correlation between its scores and
/// ours, over all pairs and per challenge, and (2) the quality of its ranking next to our defaults.
/// </summary>
public static class SklearnComparison
{
    public static int Run(string root)
    {
        var eval = EvalSet.Load(root);
        var work = Directory.CreateTempSubdirectory("sklearn-compare-").FullName;
        var docs = Path.Combine(work, "docs.tsv");
        TokenDump.Write(docs, eval.Challenges, eval.Vendors);
        var script = Path.Combine(root, "tests", "Marketplace.Benchmarks", "baseline", "sklearn_baseline.py");
        var sklearnScores = Path.Combine(work, "sklearn.tsv");
        var rawScores = Path.Combine(work, "sklearn-raw.tsv");
        Python(script, "pairs", docs, sklearnScores);
        Python(script, "raw", Path.Combine(root, "seeds", "eval", "challenges.jsonl"), Path.Combine(root, "seeds", "eval", "vendors.jsonl"), rawScores);

        var ours = AllPairs(eval.BuildIndex(MatchOptions.Plain));
        var theirs = ReadPairs(sklearnScores);
        var keys = ours.Keys.OrderBy(k => k.Item1, StringComparer.Ordinal).ThenBy(k => k.Item2, StringComparer.Ordinal).ToList();
        var overall = Spearman([.. keys.Select(k => ours[k])], [.. keys.Select(k => theirs[k])]);
        var perChallenge = keys.GroupBy(k => k.Item1)
            .Select(g => Spearman([.. g.Select(k => ours[k])], [.. g.Select(k => theirs[k])]))
            .ToList();
        var maxDifference = keys.Max(k => Math.Abs(ours[k] - theirs[k]));

        Console.WriteLine($"pairs compared: {keys.Count} ({eval.Challenges.Count} challenges x {eval.Vendors.Count} vendors)");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Spearman, all pairs (ours Plain vs sklearn):     {overall:F6}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Spearman, per challenge: mean {perChallenge.Average():F6}, min {perChallenge.Min():F6}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"largest absolute score difference:              {maxDifference:E2}"));
        Console.WriteLine();
        Console.WriteLine($"{"sklearn TfidfVectorizer, default analyzer on raw text",-58} {RankingMetrics.Evaluate(Rankings(ReadPairs(rawScores)), eval.Judgements)}");
        Console.WriteLine($"{"sklearn TfidfVectorizer on our tokens (= Plain)",-58} {RankingMetrics.Evaluate(Rankings(theirs), eval.Judgements)}");
        Console.WriteLine($"{"ours, Plain (TF-IDF, concatenated)",-58} {eval.Evaluate(MatchOptions.Plain)}");
        Console.WriteLine($"{"ours, Bm25Plain",-58} {eval.Evaluate(MatchOptions.Bm25Plain)}");
        Console.WriteLine($"{"ours, defaults (BM25, max case, profile 0.75, tags 0.3)",-58} {eval.Evaluate(MatchOptions.Default)}");
        Directory.Delete(work, recursive: true);
        return overall >= 0.95 ? 0 : 1;
    }

    public static void Python(string script, params string[] arguments)
    {
        var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardError = true };
        start.ArgumentList.Add(script);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"python failed: {error}");
        }
    }

    private static Dictionary<(string, string), double> AllPairs(MatchIndex index) =>
        index.TopVendorsForAllChallenges(int.MaxValue, explain: false, includeUnmatched: true)
            .SelectMany(c => c.Vendors.Select(v => ((c.ChallengeId, v.Id), v.Score)))
            .ToDictionary(p => p.Item1, p => p.Score);

    private static Dictionary<(string, string), double> ReadPairs(string path) =>
        File.ReadLines(path).Select(l => l.Split('\t'))
            .ToDictionary(f => (f[0], f[1]), f => double.Parse(f[2], CultureInfo.InvariantCulture));

    private static Dictionary<string, IReadOnlyList<string>> Rankings(Dictionary<(string, string), double> scores) =>
        scores.GroupBy(p => p.Key.Item1).ToDictionary(
            g => g.Key,
            g => (IReadOnlyList<string>)[.. g.Where(p => p.Value > 0).OrderByDescending(p => p.Value).ThenBy(p => p.Key.Item2, StringComparer.Ordinal).Select(p => p.Key.Item2)]);

    /// <summary>Spearman's rho with average ranks for ties (Pearson correlation of the ranks).</summary>
    public static double Spearman(double[] x, double[] y)
    {
        var rx = Ranks(x);
        var ry = Ranks(y);
        double mx = rx.Average(), my = ry.Average(), sxy = 0, sxx = 0, syy = 0;
        for (var i = 0; i < rx.Length; i++)
        {
            sxy += (rx[i] - mx) * (ry[i] - my);
            sxx += (rx[i] - mx) * (rx[i] - mx);
            syy += (ry[i] - my) * (ry[i] - my);
        }

        return sxx == 0 || syy == 0 ? 1 : sxy / Math.Sqrt(sxx * syy);
    }

    private static double[] Ranks(double[] values)
    {
        var order = Enumerable.Range(0, values.Length).OrderBy(i => values[i]).ToArray();
        var ranks = new double[values.Length];
        for (var i = 0; i < order.Length;)
        {
            var j = i;
            while (j + 1 < order.Length && values[order[j + 1]] == values[order[i]])
            {
                j++;
            }

            for (var k = i; k <= j; k++)
            {
                ranks[order[k]] = (i + j) / 2.0;
            }

            i = j + 1;
        }

        return ranks;
    }
}
