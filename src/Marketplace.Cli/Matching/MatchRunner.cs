using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Marketplace.Matching;
using Marketplace.Matching.Evaluation;
using Marketplace.Matching.Learning;
using Marketplace.Matching.Ranking;
using Marketplace.Matching.Semantics;

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

    /// <summary>Rank with the fast index alone (the previous default) instead of the text ranker.</summary>
    public bool IndexOnly { get; init; }

    /// <summary>Drop all tags from the inputs.</summary>
    public bool TextOnly { get; init; }

    public bool HoldOutTerms { get; init; }

    public TextRankerWeights? TextWeights { get; init; }

    /// <summary>A learned ranker (ML.NET zip from `match train`) to re-rank the text ranker's candidates.</summary>
    public string? ModelPath { get; init; }
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
        var inputs = await ReadAsync(run, error);
        if (inputs is null)
        {
            return 1;
        }

        if (!TryLoadModel(run, error, out var model))
        {
            return 1;
        }

        var (challenges, vendors) = inputs.Value;
        var k = run.All ? int.MaxValue : run.Top;
        var large = challenges.Count * (long)vendors.Count >= ProgressThreshold * 100L;
        var progress = large ? new Progress<int>(done => error.WriteLine($"ranked {done}/{challenges.Count} challenges")) : null;
        if (large)
        {
            await error.WriteLineAsync($"indexing {challenges.Count} challenges and {vendors.Count} vendors…");
        }

        var results = run.IndexOnly
            ? Index(run, challenges, vendors).TopVendorsForAllChallenges(k, explain: true, includeUnmatched: run.All, progress, cancellationToken)
            : RankAll(run, challenges, vendors, k, model, progress, cancellationToken);
        var vendorCount = vendors.Count;

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
            $"wrote {pairs} pairs for {results.Count} challenges × {vendorCount} vendors to {run.OutputPath} in {clock.Elapsed.TotalSeconds:F1} s"));
        return 0;
    }

    /// <summary>The judgements of <c>--qrels</c>, or null after reporting every bad line.</summary>
    private static async Task<Judgements?> ReadJudgementsAsync(MatchRun run, TextWriter error)
    {
        using var qrels = new StreamReader(run.QrelsPath!);
        var (judgements, errors) = Judgements.Parse(qrels);
        foreach (var message in errors)
        {
            await error.WriteLineAsync($"{run.QrelsPath}:{message}");
        }

        return errors.Count > 0 ? null : judgements;
    }

    public static async Task<int> EvaluateAsync(MatchRun run, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        if (await ReadJudgementsAsync(run, error) is not { } judgements)
        {
            return 1;
        }

        var inputs = await ReadAsync(run, error);
        if (inputs is null)
        {
            return 1;
        }

        if (!TryLoadModel(run, error, out var model))
        {
            return 1;
        }

        var (challenges, vendors) = inputs.Value;
        var results = run.IndexOnly
            ? Index(run, challenges, vendors).TopVendorsForAllChallenges(int.MaxValue, explain: false, cancellationToken: cancellationToken)
            : RankAll(run, challenges, vendors, int.MaxValue, model, null, cancellationToken);
        var rankings = results.ToDictionary(c => c.ChallengeId, c => (IReadOnlyList<string>)[.. c.Vendors.Select(v => v.Id)], StringComparer.Ordinal);
        var summary = RankingMetrics.Evaluate(rankings, judgements);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"nDCG@10\t{summary.NdcgAt10:F4}\nMAP\t{summary.MeanAveragePrecision:F4}\nRecall@10\t{summary.RecallAt10:F4}\nqueries\t{summary.Queries}\njudgements\t{judgements.Count}"));
        return 0;
    }

    /// <summary>
    /// `eval --compare`: every baseline and ranker, per language, with tags and text only, with bootstrap intervals.
    /// </summary>
    public static async Task<int> CompareAsync(MatchRun run, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        if (await ReadJudgementsAsync(run, error) is not { } judgements)
        {
            return 1;
        }

        var inputs = await ReadAsync(run with { TextOnly = false }, error);
        if (inputs is null)
        {
            return 1;
        }

        var terms = run.HoldOutTerms ? TermList.Default.Without(c => c.Id % 2 == 1) : TermList.Default;
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"{inputs.Value.Challenges.Count} challenges, {inputs.Value.Vendors.Count} vendors, {judgements.Count} judgements; term list: {terms.Concepts.Count} concepts{(run.HoldOutTerms ? " (every other one held out)" : string.Empty)}; 95% intervals: bootstrap over challenges, 1000 resamples, seed 42"));
        await output.WriteLineAsync("input\tconfiguration\tlanguage\tqueries\tnDCG@10\tMAP\tRecall@10");
        foreach (var textOnly in new[] { false, true })
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (challenges, vendors) = textOnly ? WithoutTags(inputs.Value.Challenges, inputs.Value.Vendors) : inputs.Value;
            var report = RankerComparison.Run(challenges, vendors, judgements, terms, weights: run.TextWeights);
            foreach (var row in report.Rows)
            {
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{(textOnly ? "text only" : "with tags")}\t{row.Configuration}\t{row.Language}\t{row.Queries}\t{row.Ndcg}\t{row.Map}\t{row.Recall}"));
            }

            await output.WriteLineAsync($"# {(textOnly ? "text only" : "with tags")}: {report.LearnedVerdict}");
        }

        return 0;
    }

    /// <summary>
    /// `match train`: every judged challenge's candidates from the text ranker with their features, labelled by the
    /// judgements; <see cref="LearnedRanker.Train"/> holds out 30 % of the challenges and the model is written only when
    /// it beats the text score there (the rule the application applies to logged decisions). The model written is the
    /// one that was checked (trained on the other 70 %).
    /// </summary>
    public static async Task<int> TrainAsync(MatchRun run, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        if (await ReadJudgementsAsync(run, error) is not { } judgements)
        {
            return 1;
        }

        var inputs = await ReadAsync(run, error);
        if (inputs is null)
        {
            return 1;
        }

        var (challenges, vendors) = inputs.Value;
        var ranker = VendorRankerFactory.Build(challenges, vendors, run.Options, weights: run.TextWeights);
        var judged = challenges.Where(c => judgements.ByQuery.ContainsKey(c.Id)).ToList();
        var pairs = judged.AsParallel().AsOrdered().WithCancellation(cancellationToken).SelectMany(challenge =>
        {
            var grades = judgements.ByQuery[challenge.Id];
            // Judged pairs only: an unjudged candidate is unknown, not known to be bad.
            return ranker.CandidatesFor(challenge, vendors.Count).Where(c => grades.ContainsKey(c.Id))
                .Select(c => new LabelledPair(challenge.Id, c.Id, c.Features, grades[c.Id]));
        }).ToList();
        var report = LearnedRanker.Train(pairs);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"{pairs.Count} labelled pairs over {judged.Count} judged challenges; {report.Reason}"));
        if (!report.UseModel || report.Ranker is null)
        {
            await error.WriteLineAsync("error: the model does not beat the text ranker on held-out challenges; nothing was written.");
            return 1;
        }

        var target = Path.GetFullPath(run.OutputPath!);
        var temporary = target + ".tmp";
        await using (var stream = File.Create(temporary))
        {
            report.Ranker.Save(stream);
        }

        File.Move(temporary, target, overwrite: true);
        await output.WriteLineAsync($"wrote the model to {run.OutputPath}; use it with `match --model {run.OutputPath}` or `eval --model {run.OutputPath}`");
        return 0;
    }

    /// <summary>The model of <c>--model</c> as a report that always uses it (null without the option); false after reporting an unreadable file.</summary>
    private static bool TryLoadModel(MatchRun run, TextWriter error, out RerankerReport? report)
    {
        report = null;
        if (run.ModelPath is null)
        {
            return true;
        }

        if (run.IndexOnly)
        {
            error.WriteLine("error: --model re-ranks the text ranker's candidates; it cannot be used with --ranker index.");
            return false;
        }

        try
        {
            using var stream = File.OpenRead(run.ModelPath);
            var model = RankingModel.Load(stream);
            model.Score(PairFeatures.None); // a model of other features fails here, not half-way through a run
            report = new RerankerReport(true, $"model {run.ModelPath}", 0, null, null, model);
            return true;
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or IOException or FormatException or InvalidDataException)
        {
            error.WriteLine($"error: {run.ModelPath}: not a model written by `marketplace match train` ({ex.Message})");
            return false;
        }
    }

    private static MatchIndex Index(MatchRun run, List<ChallengeDocument> challenges, List<VendorDocument> vendors)
    {
        var index = new MatchIndex(run.Options);
        index.UpsertMany(challenges);
        index.UpsertMany(vendors);
        index.Refresh();
        return index;
    }

    /// <summary>The text ranker (the default) for every challenge, on all cores; scores are text scores, one absolute scale.</summary>
    private static List<ChallengeMatches> RankAll(MatchRun run, List<ChallengeDocument> challenges, List<VendorDocument> vendors, int k,
        RerankerReport? model, IProgress<int>? progress, CancellationToken cancellationToken)
    {
        var ranker = VendorRankerFactory.Build(challenges, vendors, run.Options, weights: run.TextWeights);
        var done = 0;
        return [.. challenges.AsParallel().AsOrdered().WithCancellation(cancellationToken).Select(challenge =>
        {
            // Ranked by the model when one is given, by the text score otherwise; the score written is the text score.
            var ranked = k == int.MaxValue
                ? [.. ranker.Rank(challenge, vendors.Count, model)]
                : ranker.Rank(challenge, k, model).ToList();
            if (k == int.MaxValue && run.All)
            {
                // --all writes every pair, also those that share nothing.
                var seen = ranked.Select(v => v.Id).ToHashSet(StringComparer.Ordinal);
                ranked.AddRange(vendors.Where(v => !seen.Contains(v.Id)).OrderBy(v => v.Id, StringComparer.Ordinal)
                    .Select(v => new RankedVendor(v.Id, 0, 0, Marketplace.Matching.Learning.PairFeatures.None, MatchExplanation.None)));
            }

            var current = Interlocked.Increment(ref done);
            if (current % 500 == 0)
            {
                progress?.Report(current);
            }

            return new ChallengeMatches(challenge.Id, [.. ranked.Select((v, i) => new Match(v.Id, v.TextScore, i + 1, v.Explanation))]);
        })];
    }

    private static (List<ChallengeDocument> Challenges, List<VendorDocument> Vendors) WithoutTags(List<ChallengeDocument> challenges, List<VendorDocument> vendors) =>
        ([.. challenges.Select(c => c with { Tags = [] })], [.. vendors.Select(v => v with { Tags = [] })]);

    /// <summary>Reads and validates both inputs, reporting every bad line; null when any was bad.</summary>
    private static async Task<(List<ChallengeDocument> Challenges, List<VendorDocument> Vendors)?> ReadAsync(MatchRun run, TextWriter error)
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

        return run.TextOnly ? WithoutTags(challenges, vendors) : (challenges, vendors);
    }

    private sealed record ScoredPair(string ChallengeId, string VendorId, double Score, int Rank, MatchExplanation Explanation);
}
