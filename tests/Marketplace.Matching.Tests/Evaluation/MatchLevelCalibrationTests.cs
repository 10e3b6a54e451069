using Marketplace.Cli.Matching;
using Marketplace.Matching.Evaluation;

namespace Marketplace.Matching.Tests.Evaluation;

/// <summary>
/// The levels shown to people (high / medium / low, and the cut-off) mean what docs/matching.md says they mean: on
/// the labelled set, with the default matcher, the share of pairs judged relevant falls from level to level. Every
/// unjudged pair counts as not relevant, so the shares are lower bounds.
/// </summary>
public sealed class MatchLevelCalibrationTests
{
    [Fact]
    public void EachLevel_HasTheShareOfRelevantPairsTheDocsPromise()
    {
        var root = FindRepoRoot();
        var (challenges, challengeErrors) = MatchInputs.ReadChallenges(new StreamReader(Path.Combine(root, "seeds/eval/challenges.jsonl")), "challenges");
        var (vendors, vendorErrors) = MatchInputs.ReadVendors(new StreamReader(Path.Combine(root, "seeds/eval/vendors.jsonl")), "vendors");
        var (judgements, judgementErrors) = Judgements.Parse(new StreamReader(Path.Combine(root, "seeds/eval/qrels.tsv")));
        Assert.Empty(challengeErrors.Concat(vendorErrors).Concat(judgementErrors));

        var index = new MatchIndex();
        index.UpsertMany(challenges);
        index.UpsertMany(vendors);
        var pairs = index.TopVendorsForAllChallenges(int.MaxValue, explain: false)
            .SelectMany(c => c.Vendors.Select(v => (Level: MatchLevels.Of(v.Score),
                Relevant: judgements.ByQuery.TryGetValue(c.ChallengeId, out var grades) && grades.GetValueOrDefault(v.Id) >= 1)))
            .ToList();

        AssertLevelsMeanWhatTheDocsSay(pairs);
    }

    /// <summary>
    /// Without tags the stored score is the text ranker's blend (index, words, concepts, fused bag), not the index's
    /// score: the same thresholds must keep their meaning for it too (docs/matching.md, "text only" table).
    /// </summary>
    [Fact]
    public async Task EachLevel_KeepsItsMeaning_ForTheTextRankersScoreWithoutTags()
    {
        var root = FindRepoRoot();
        var (judgements, judgementErrors) = Judgements.Parse(new StreamReader(Path.Combine(root, "seeds/eval/qrels.tsv")));
        Assert.Empty(judgementErrors);
        var output = Path.Combine(Path.GetTempPath(), $"levels-{Guid.NewGuid():N}.jsonl");
        try
        {
            var run = new MatchRun
            {
                ChallengesPath = Path.Combine(root, "seeds/eval/challenges.jsonl"),
                VendorsPath = Path.Combine(root, "seeds/eval/vendors.jsonl"),
                OutputPath = output,
                All = true,
                TextOnly = true,
            };
            Assert.Equal(0, await MatchRunner.MatchAsync(run, TextWriter.Null, TextWriter.Null));
            var pairs = File.ReadLines(output)
                .Select(line => System.Text.Json.JsonDocument.Parse(line).RootElement)
                .Select(pair => (Level: MatchLevels.Of(pair.GetProperty("score").GetDouble()),
                    Relevant: judgements.ByQuery.TryGetValue(pair.GetProperty("challengeId").GetString()!, out var grades)
                        && grades.GetValueOrDefault(pair.GetProperty("vendorId").GetString()!) >= 1))
                .ToList();
            AssertLevelsMeanWhatTheDocsSay(pairs);
        }
        finally
        {
            File.Delete(output);
        }
    }

    private static void AssertLevelsMeanWhatTheDocsSay(IReadOnlyList<(MatchLevel Level, bool Relevant)> pairs)
    {
        double Share(MatchLevel level)
        {
            var at = pairs.Where(p => p.Level == level).ToList();
            Assert.NotEmpty(at);
            return at.Count(p => p.Relevant) / (double)at.Count;
        }

        Assert.True(Share(MatchLevel.High) >= 0.75, $"high: {Share(MatchLevel.High):P0} relevant");
        Assert.InRange(Share(MatchLevel.Medium), 0.2, 0.75);
        Assert.True(Share(MatchLevel.Low) < 0.2, $"low: {Share(MatchLevel.Low):P0} relevant");
        Assert.True(Share(MatchLevel.None) < 0.05, $"below the cut-off: {Share(MatchLevel.None):P0} relevant");
    }

    private static string FindRepoRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Marketplace.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Marketplace.sln not found above the test output.");
    }
}
