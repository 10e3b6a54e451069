using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Marketplace.Matching;

namespace Marketplace.Benchmarks;

/// <summary>
/// `speed`: the issue's scale targets on a generated corpus, and the scikit-learn baseline on the
/// same corpus (same tokens) in the same run. Not a unit test: timings belong to a quiet machine.
/// Options: --scale S shrinks every size (0.1 for a quick smoke run); --skip-sklearn; --options defaults|plain
/// (one configuration only, so the process's peak memory is that configuration's).
/// </summary>
public static class SpeedBenchmark
{
    public static int Run(string root, string[] args)
    {
        var scale = args.SkipWhile(a => a != "--scale").Skip(1).Select(a => double.Parse(a, CultureInfo.InvariantCulture)).FirstOrDefault(1.0);
        var runSklearn = !args.Contains("--skip-sklearn");
        var only = args.SkipWhile(a => a != "--options").Skip(1).FirstOrDefault();
        int Scaled(int n) => Math.Max(10, (int)(n * scale));
        var generator = new CorpusGenerator();
        var half = Scaled(50_000);
        Console.WriteLine($"machine: {Environment.ProcessorCount} cores, .NET {Environment.Version}, {DateTime.UtcNow:u}");

        // Generation alone, to separate it from indexing (the build below streams generated documents).
        var clock = Stopwatch.StartNew();
        long generatedChars = 0;
        Parallel.For(0, half, i => Interlocked.Add(ref generatedChars, generator.Challenge(i).Description.Length + generator.Vendor(i).Profile.Length));
        var generationSeconds = clock.Elapsed.TotalSeconds;
        Console.WriteLine($"generate {2 * half:N0} documents alone: {generationSeconds:F2} s (load average {LoadAverage()})");

        foreach (var options in new[] { ("defaults", MatchOptions.Default), ("plain", MatchOptions.Plain) }.Where(o => only is null || o.Item1 == only))
        {
            Console.WriteLine();
            Console.WriteLine($"== options: {options.Item1}");
            RunOnce(generator, half, options.Item2, generationSeconds, Scaled);
        }

        if (runSklearn)
        {
            Console.WriteLine();
            Console.WriteLine("== scikit-learn (TfidfVectorizer on the same tokens, sublinear tf, smooth idf, L2; cosine)");
            var work = Directory.CreateTempSubdirectory("speed-sklearn-").FullName;
            var docs = Path.Combine(work, "docs.tsv");
            var queries = Path.Combine(work, "queries.tsv");
            clock.Restart();
            // Challenges first then vendors, as sklearn_baseline.py expects; the all-pairs part takes the first 10,000 of each.
            TokenDump.Write(docs, Enumerable.Range(0, half).Select(generator.Challenge), Enumerable.Range(0, half).Select(generator.Vendor));
            File.WriteAllLines(queries, Enumerable.Range(0, 50).Select(i => TokenDump.Line("c", generator.Challenge(1_000_000 + i))));
            Console.WriteLine($"(token files written in {clock.Elapsed.TotalSeconds:F1} s; not part of either side's timings)");
            var output = PythonOutput(Path.Combine(root, "tests", "Marketplace.Benchmarks", "baseline", "sklearn_baseline.py"), "speed", docs, queries);
            Directory.Delete(work, recursive: true);
            var result = JsonDocument.Parse(output).RootElement;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"build {result.GetProperty("build_documents").GetInt32():N0} documents (tokens given): {result.GetProperty("build_seconds").GetDouble():F2} s"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"rank {result.GetProperty("single_query_vendors").GetInt32():N0} vendors for one challenge: median {result.GetProperty("single_query_median_ms").GetDouble():F1} ms"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"top-10 for all pairs {result.GetProperty("all_pairs").GetString()}: {result.GetProperty("all_pairs_seconds").GetDouble():F1} s"));
        }

        return 0;
    }

    private static void RunOnce(CorpusGenerator generator, int half, MatchOptions options, double generationSeconds, Func<int, int> scaled)
    {
        GC.Collect();
        using var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var index = new MatchIndex(options);
        index.UpsertMany(Enumerable.Range(0, half).Select(generator.Challenge));
        index.UpsertMany(Enumerable.Range(0, half).Select(generator.Vendor));
        var analysed = clock.Elapsed.TotalSeconds;
        index.Refresh();
        var build = clock.Elapsed.TotalSeconds;
        process.Refresh();
        var buildCpu = (process.TotalProcessorTime - cpu).TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"build index of {2 * half:N0} documents ({half:N0} challenges + {half:N0} vendors x 3 cases, {index.TermCount:N0} terms): {build:F2} s including generation, ~{build - generationSeconds:F2} s without (analyse {analysed:F2} s, snapshot {build - analysed:F2} s; {buildCpu:F1} s CPU on {Environment.ProcessorCount} cores, load average {LoadAverage()}); peak working set so far {process.PeakWorkingSet64 / (1024.0 * 1024 * 1024):F2} GB"));

        // One new challenge (not in the index) against all vendors, explanations of the top 10 included.
        var timings = new List<double>();
        for (var i = 0; i < 60; i++)
        {
            var challenge = generator.Challenge(1_000_000 + i);
            clock.Restart();
            var top = index.TopVendorsFor(challenge, 10);
            timings.Add(clock.Elapsed.TotalMilliseconds);
            if (top.Count == 0)
            {
                throw new InvalidOperationException("no matches");
            }
        }

        timings = [.. timings.Skip(10).Order()]; // the first runs include JIT
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"rank {index.VendorCount:N0} vendors for one new challenge (top 10 with explanations): median {timings[timings.Count / 2]:F2} ms, p90 {timings[(int)(timings.Count * 0.9)]:F2} ms"));
        index = null;
        GC.Collect();

        var pairs = scaled(10_000);
        var small = new MatchIndex(options);
        small.UpsertMany(Enumerable.Range(0, pairs).Select(generator.Challenge));
        small.UpsertMany(Enumerable.Range(0, pairs).Select(generator.Vendor));
        small.Refresh();
        clock.Restart();
        var all = small.TopVendorsForAllChallenges(10, explain: false);
        var scoresOnly = clock.Elapsed.TotalSeconds;
        clock.Restart();
        var explained = small.TopVendorsForAllChallenges(10, explain: true);
        var withExplanations = clock.Elapsed.TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"top-10 for all pairs {pairs:N0} x {pairs:N0}: {scoresOnly:F1} s (scores), {withExplanations:F1} s (with explanations); {all.Count + explained.Count - pairs:N0} challenges ranked"));
    }

    /// <summary>The 1-minute load average (Linux), to judge how shared the machine was during a timing.</summary>
    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";

    private static string PythonOutput(string script, params string[] arguments)
    {
        var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true };
        start.ArgumentList.Add(script);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0 ? output : throw new InvalidOperationException($"python exited with {process.ExitCode}");
    }
}
