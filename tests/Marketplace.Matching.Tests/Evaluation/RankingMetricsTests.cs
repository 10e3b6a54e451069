using Marketplace.Matching.Evaluation;

namespace Marketplace.Matching.Tests.Evaluation;

public class RankingMetricsTests
{
    // Ranked d1 d2 d3 d4; judged d1 = 0, d2 = 2, d3 = 1, d5 = 1 (d5 never retrieved).
    private static readonly string[] Ranked = ["d1", "d2", "d3", "d4"];
    private static readonly Dictionary<string, int> Grades = new() { ["d1"] = 0, ["d2"] = 2, ["d3"] = 1, ["d5"] = 1 };

    [Fact]
    public void Ndcg_MatchesHandComputedValue()
    {
        // DCG = 2/log2(3) + 1/log2(4) = 1.76186; IDCG = 2/1 + 1/log2(3) + 1/log2(4) = 3.13093.
        Assert.Equal(0.562726, RankingMetrics.NdcgAt(Ranked, Grades, 10), 5);
        // At 2: 1.26186 / (2 + 0.63093).
        Assert.Equal(0.479625, RankingMetrics.NdcgAt(Ranked, Grades, 2), 5);
    }

    [Fact]
    public void AveragePrecision_DividesByAllRelevantJudgements()
    {
        // Hits at ranks 2 and 3: (1/2 + 2/3) / 3 relevant.
        Assert.Equal(0.388889, RankingMetrics.AveragePrecision(Ranked, Grades), 5);
    }

    [Fact]
    public void Recall_CountsRelevantInTheTopK()
    {
        Assert.Equal(2.0 / 3, RankingMetrics.RecallAt(Ranked, Grades, 10), 6);
        Assert.Equal(1.0 / 3, RankingMetrics.RecallAt(Ranked, Grades, 2), 6);
    }

    [Fact]
    public void PerfectRanking_ScoresOne()
    {
        string[] perfect = ["d2", "d3", "d5", "d1"];
        Assert.Equal(1, RankingMetrics.NdcgAt(perfect, Grades, 10), 9);
        Assert.Equal(1, RankingMetrics.AveragePrecision(perfect, Grades), 9);
        Assert.Equal(1, RankingMetrics.RecallAt(perfect, Grades, 10), 9);
    }

    [Fact]
    public void Evaluate_AveragesOverQueriesWithARelevantJudgementOnly()
    {
        var judgements = new Judgements();
        judgements.Add("q1", "d2", 2);
        judgements.Add("q2", "x", 0); // no relevant document: left out of the mean
        judgements.Add("q3", "y", 1); // not ranked at all: scores 0
        var rankings = new Dictionary<string, IReadOnlyList<string>> { ["q1"] = ["d2", "d1"], ["q2"] = ["x"] };

        var summary = RankingMetrics.Evaluate(rankings, judgements);

        Assert.Equal(2, summary.Queries);
        Assert.Equal(0.5, summary.NdcgAt10, 9);
        Assert.Equal(0.5, summary.MeanAveragePrecision, 9);
        Assert.Equal(0.5, summary.RecallAt10, 9);
    }

    [Fact]
    public void Parse_ReportsBadLinesWithTheirNumbers()
    {
        var (judgements, errors) = Judgements.Parse(new StringReader("# comment\nc1\tv1\t2\nc1\tv2\nc2\tv1\t3\n\nc2\tv2\t1\treason text\n"));

        Assert.Equal(2, judgements.Count);
        Assert.Equal(["line 3: expected challengeId<TAB>vendorId<TAB>grade", "line 4: grade must be 0, 1 or 2, not '3'"], errors);
    }
}
