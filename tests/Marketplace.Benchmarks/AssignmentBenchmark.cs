using System.Diagnostics;
using System.Globalization;
using Marketplace.Matching.Assignment;

namespace Marketplace.Benchmarks;

/// <summary>
/// Reviewer assignment, optimiser against greedy, on a generated instance (default 500 proposals × 150 reviewers,
/// k = 3, cap 10 = exactly the 1,500 slots, 5 % forbidden pairs). Affinities have structure: 12 topics of Zipf-like
/// popularity; a proposal has a main topic and a side topic, a reviewer one or two topics of expertise and a breadth;
/// affinity = how well the reviewer's topics cover the proposal's, plus noise, in [0, 1]. Popular topics have more
/// proposals than their experts can take, so the cap binds where it matters. Both methods solve the same instance;
/// each is timed over several runs after a warm-up, and the median is printed.
/// </summary>
public static class AssignmentBenchmark
{
    public static int Run(string[] args)
    {
        var proposals = Option(args, "--proposals", 500);
        var reviewers = Option(args, "--reviewers", 150);
        var k = Option(args, "--k", 3);
        var cap = Option(args, "--cap", (int)Math.Ceiling(proposals * k / (double)reviewers));
        var forbiddenShare = Option(args, "--forbidden", 0.05);
        var seed = Option(args, "--seed", 1);
        var runs = Option(args, "--runs", 11);

        Console.WriteLine($"load average before: {LoadAverage()}");
        var generated = Stopwatch.StartNew();
        var problem = Generate(proposals, reviewers, k, cap, forbiddenShare, seed);
        Console.WriteLine($"instance: {proposals} proposals × {reviewers} reviewers, k = {k}, cap = {cap} ({reviewers * cap} places for {proposals * k} slots), " +
            $"{problem.Forbidden.Count} forbidden pairs ({problem.Forbidden.Count * 100.0 / (proposals * reviewers):0.0} %), seed {seed}; generated in {generated.ElapsedMilliseconds} ms");

        // Warm-up: JIT and the native library's first load are not part of the figures.
        ReviewerAssignmentSolver.Solve(problem);
        GreedyReviewerAssignment.Solve(problem);

        var solver = Measure(() => ReviewerAssignmentSolver.Solve(problem), runs);
        var greedy = Measure(() => GreedyReviewerAssignment.Solve(problem), runs);
        var bound = UpperBound(problem);

        Console.WriteLine();
        Console.WriteLine("| | optimiser (min-cost flow, OR-Tools) | greedy (best affinity first) | optimiser / greedy |");
        Console.WriteLine("|---|---|---|---|");
        Console.WriteLine($"| slots filled (of {solver.Solution.SlotsNeeded}) | {solver.Solution.SlotsFilled} | {greedy.Solution.SlotsFilled} | {Ratio(solver.Solution.SlotsFilled, greedy.Solution.SlotsFilled)} |");
        Console.WriteLine($"| objective (total affinity) | {solver.Solution.Objective:F3} | {greedy.Solution.Objective:F3} | {Ratio(solver.Solution.Objective, greedy.Solution.Objective)} |");
        Console.WriteLine($"| mean affinity per filled slot | {solver.Solution.Objective / Math.Max(1, solver.Solution.SlotsFilled):F4} | {greedy.Solution.Objective / Math.Max(1, greedy.Solution.SlotsFilled):F4} | |");
        Console.WriteLine($"| proposals short of k | {solver.Solution.Unfilled.Select(u => u.ProposalId).Distinct().Count()} | {greedy.Solution.Unfilled.Select(u => u.ProposalId).Distinct().Count()} | |");
        Console.WriteLine($"| time, median of {runs} (min–max) | {Ms(solver.Median)} ({Ms(solver.Min)}–{Ms(solver.Max)}) | {Ms(greedy.Median)} ({Ms(greedy.Min)}–{Ms(greedy.Max)}) | {solver.Median.TotalMilliseconds / Math.Max(1e-9, greedy.Median.TotalMilliseconds):0.00}× |");
        Console.WriteLine();
        Console.WriteLine($"upper bound on the objective (each proposal's k best allowed reviewers, no cap): {bound:F3}; optimiser reaches {solver.Solution.Objective / bound:P1}, greedy {greedy.Solution.Objective / bound:P1}");
        Console.WriteLine($"load average after: {LoadAverage()}");
        return 0;
    }

    public static AssignmentProblem Generate(int proposals, int reviewers, int k, int cap, double forbiddenShare, int seed)
    {
        const int topics = 12;
        var random = new Random(seed);
        // Zipf-like topic popularity for proposals; reviewers' expertise is spread more evenly, so popular topics are short of experts.
        var popularity = Enumerable.Range(1, topics).Select(t => 1.0 / t).ToArray();
        int Draw(double[] weights)
        {
            var x = random.NextDouble() * weights.Sum();
            for (var i = 0; i < weights.Length; i++)
            {
                if ((x -= weights[i]) <= 0)
                {
                    return i;
                }
            }

            return weights.Length - 1;
        }

        var proposalTopics = Enumerable.Range(0, proposals).Select(_ =>
        {
            var vector = new double[topics];
            var main = Draw(popularity);
            vector[main] = 0.7 + 0.2 * random.NextDouble();
            vector[random.Next(topics)] += 0.3;
            return vector;
        }).ToArray();
        var even = Enumerable.Repeat(1.0, topics).ToArray();
        var reviewerTopics = Enumerable.Range(0, reviewers).Select(_ =>
        {
            var vector = new double[topics];
            vector[Draw(even)] = 1.0;
            if (random.NextDouble() < 0.5)
            {
                vector[Draw(even)] += 0.6;
            }

            return (Vector: vector, Breadth: 0.6 + 0.4 * random.NextDouble());
        }).ToArray();

        var affinities = new Dictionary<ReviewPair, double>(proposals * reviewers);
        var forbidden = new Dictionary<ReviewPair, string>();
        for (var p = 0; p < proposals; p++)
        {
            for (var r = 0; r < reviewers; r++)
            {
                var pair = new ReviewPair(p + 1, 10_001 + r);
                var cover = 0.0;
                for (var t = 0; t < topics; t++)
                {
                    cover += Math.Min(proposalTopics[p][t], reviewerTopics[r].Vector[t]);
                }

                affinities[pair] = Math.Clamp(0.75 * cover * reviewerTopics[r].Breadth + 0.1 * random.NextDouble(), 0, 1);
                if (random.NextDouble() < forbiddenShare)
                {
                    forbidden[pair] = "conflict_of_interest";
                }
            }
        }

        return new AssignmentProblem
        {
            Proposals = Enumerable.Range(1, proposals).Select(i => (long)i).ToList(),
            Reviewers = Enumerable.Range(10_001, reviewers).Select(i => (long)i).ToList(),
            Affinities = affinities,
            Forbidden = forbidden,
            ReviewersPerProposal = k,
            LoadCap = cap,
        };
    }

    private static double UpperBound(AssignmentProblem problem) =>
        problem.Proposals.Sum(p => problem.Reviewers.Where(r => !problem.IsForbidden(p, r)).Select(r => problem.AffinityOf(p, r))
            .OrderByDescending(a => a).Take(problem.NeedOf(p)).Sum());

    private static (AssignmentSolution Solution, TimeSpan Median, TimeSpan Min, TimeSpan Max) Measure(Func<AssignmentSolution> solve, int runs)
    {
        var times = new List<TimeSpan>();
        AssignmentSolution? last = null;
        for (var i = 0; i < runs; i++)
        {
            var started = Stopwatch.GetTimestamp();
            last = solve();
            times.Add(Stopwatch.GetElapsedTime(started));
        }

        times.Sort();
        return (last!, times[times.Count / 2], times[0], times[^1]);
    }

    private static string Ratio(double a, double b) => b == 0 ? "–" : (a / b).ToString("0.0000", CultureInfo.InvariantCulture);

    private static string Ms(TimeSpan t) => t.TotalMilliseconds.ToString("0.0", CultureInfo.InvariantCulture) + " ms";

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(" / ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    private static T Option<T>(string[] args, string name, T fallback) where T : IParsable<T>
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? T.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
