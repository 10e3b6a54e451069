using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Marketplace.Matching;
using Marketplace.Matching.Evaluation;

namespace Marketplace.Cli.Matching;

/// <summary>Settings of a bulk match or evaluation run (the command-line options, parsed).</summary>
public sealed record MatchRun
{
    public required string ChallengesPath { get; init; }

    public required string VendorsPath { get; init; }

    public string? OutputPath { get; init; }

    public string? QrelsPath { get; init; }

    public int Top { get; init; } = 10;

    public bool All { get; init; }

    public MatchOptions Options { get; init; } = MatchOptions.Default;
}

/// <summary>
/// The logic of `marketplace match` and `marketplace eval`, separate from command-line parsing so
/// tests can run it with their own writers. Returns the process exit code.
/// </summary>
public static class MatchRunner
{
    /// <summary>Inputs this large get progress lines on stderr.</summary>
    public const int ProgressThreshold = 2000;

    private static readonly JsonSerializerOptions OutputJson = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // keep Chinese terms readable in the output
    };

    public static async Task<int> MatchAsync(MatchRun run, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        var index = await LoadAsync(run, error, cancellationToken);
        if (index is null)
        {
            return 1;
        }

        var large = index.ChallengeCount * (long)index.VendorCount >= ProgressThreshold * 100L;
        var progress = large ? new Progress<int>(done => error.WriteLine($"ranked {done}/{index.ChallengeCount} challenges")) : null;
        var k = run.All ? int.MaxValue : run.Top;
        var results = index.TopVendorsForAllChallenges(k, explain: true, includeUnmatched: run.All, progress, cancellationToken);

        // Write to a temporary file and move it into place, so a failed run never leaves half a file.
        var target = Path.GetFullPath(run.OutputPath!);
        var temporary = target + ".tmp";
        var pairs = 0;
        await using (var writer = new StreamWriter(temporary, append: false, new UTF8Encoding(false)))
        {
            foreach (var challenge in results)
            {
                foreach (var match in challenge.Vendors)
                {
                    var line = new ScoredPair(challenge.ChallengeId, match.Id, Math.Round(match.Score, 6), match.Rank, match.Explanation);
                    await writer.WriteLineAsync(JsonSerializer.Serialize(line, OutputJson).AsMemory(), cancellationToken);
                    pairs++;
                }
            }
        }

        File.Move(temporary, target, overwrite: true);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"wrote {pairs} pairs for {results.Count} challenges × {index.VendorCount} vendors to {run.OutputPath} in {clock.Elapsed.TotalSeconds:F1} s"));
        return 0;
    }

    public static async Task<int> EvaluateAsync(MatchRun run, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        Judgements judgements;
        using (var qrels = new StreamReader(run.QrelsPath!))
        {
            var (parsed, errors) = Judgements.Parse(qrels);
            if (errors.Count > 0)
            {
                foreach (var message in errors)
                {
                    await error.WriteLineAsync($"{run.QrelsPath}:{message}");
                }

                return 1;
            }

            judgements = parsed;
        }

        var index = await LoadAsync(run, error, cancellationToken);
        if (index is null)
        {
            return 1;
        }

        var rankings = index.TopVendorsForAllChallenges(int.MaxValue, explain: false, cancellationToken: cancellationToken)
            .ToDictionary(c => c.ChallengeId, c => (IReadOnlyList<string>)[.. c.Vendors.Select(v => v.Id)], StringComparer.Ordinal);
        var summary = RankingMetrics.Evaluate(rankings, judgements);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"nDCG@10\t{summary.NdcgAt10:F4}\nMAP\t{summary.MeanAveragePrecision:F4}\nRecall@10\t{summary.RecallAt10:F4}\nqueries\t{summary.Queries}\njudgements\t{judgements.Count}"));
        return 0;
    }

    /// <summary>Reads and validates both inputs, reporting every bad line; null when any was bad.</summary>
    private static async Task<MatchIndex?> LoadAsync(MatchRun run, TextWriter error, CancellationToken cancellationToken)
    {
        List<ChallengeDocument> challenges;
        List<VendorDocument> vendors;
        var errors = new List<string>();
        using (var reader = new StreamReader(run.ChallengesPath))
        {
            (challenges, var bad) = MatchInputs.ReadChallenges(reader, run.ChallengesPath);
            errors.AddRange(bad);
        }

        using (var reader = new StreamReader(run.VendorsPath))
        {
            (vendors, var bad) = MatchInputs.ReadVendors(reader, run.VendorsPath);
            errors.AddRange(bad);
        }

        if (errors.Count > 0)
        {
            foreach (var message in errors)
            {
                await error.WriteLineAsync($"error: {message}");
            }

            await error.WriteLineAsync($"error: {errors.Count} bad line(s); nothing was written.");
            return null;
        }

        cancellationToken.ThrowIfCancellationRequested();
        var large = challenges.Count + vendors.Count >= ProgressThreshold;
        if (large)
        {
            await error.WriteLineAsync($"indexing {challenges.Count} challenges and {vendors.Count} vendors…");
        }

        var index = new MatchIndex(run.Options);
        index.UpsertMany(challenges);
        index.UpsertMany(vendors);
        index.Refresh();
        if (large)
        {
            await error.WriteLineAsync($"indexed {index.TermCount} distinct terms");
        }

        return index;
    }

    private sealed record ScoredPair(string ChallengeId, string VendorId, double Score, int Rank, MatchExplanation Explanation);
}
