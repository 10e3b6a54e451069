using System.Diagnostics;
using System.Globalization;
using Marketplace.Matching;

namespace Marketplace.Benchmarks;

/// <summary>`memory [--scale S]`: live heap after analysing and after the snapshot, CPU time of each step, process peak.</summary>
public static class MemoryProbe
{
    public static int Run(string[] args)
    {
        var scale = args.SkipWhile(a => a != "--scale").Skip(1).Select(a => double.Parse(a, CultureInfo.InvariantCulture)).FirstOrDefault(1.0);
        var half = Math.Max(10, (int)(50_000 * scale));
        var generator = new CorpusGenerator();
        using var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        long chars = 0;
        Parallel.For(0, half, i => Interlocked.Add(ref chars, generator.Challenge(i).Description.Length + generator.Vendor(i).Profile.Length));
        process.Refresh();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"generate {2 * half:N0} docs alone: {clock.Elapsed.TotalSeconds:F2} s wall, {(process.TotalProcessorTime - cpu).TotalSeconds:F2} s CPU"));
        GC.Collect();
        cpu = process.TotalProcessorTime;
        clock.Restart();
        var index = new MatchIndex();
        index.UpsertMany(Enumerable.Range(0, half).Select(generator.Challenge));
        index.UpsertMany(Enumerable.Range(0, half).Select(generator.Vendor));
        process.Refresh();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"analyse {2 * half:N0} docs (incl. generation): {clock.Elapsed.TotalSeconds:F2} s wall, {(process.TotalProcessorTime - cpu).TotalSeconds:F2} s CPU, allocated {GC.GetTotalAllocatedBytes() / 1e9:F2} GB, peak working set {process.PeakWorkingSet64 / 1e9:F2} GB, live {GC.GetTotalMemory(true) / 1e9:F3} GB, {index.TermCount:N0} terms"));
        cpu = process.TotalProcessorTime;
        clock.Restart();
        index.Refresh();
        process.Refresh();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"snapshot: {clock.Elapsed.TotalSeconds:F2} s wall, {(process.TotalProcessorTime - cpu).TotalSeconds:F2} s CPU, live {GC.GetTotalMemory(true) / 1e9:F3} GB, peak working set {process.PeakWorkingSet64 / 1e9:F2} GB"));
        GC.KeepAlive(index);
        return 0;
    }
}
