using Marketplace.Matching.Evaluation;

namespace Marketplace.Matching.Tests.Evaluation;

public class BootstrapTests
{
    [Fact]
    public void EqualValues_HaveAZeroWidthInterval()
    {
        Assert.Equal(new Interval(0.5, 0.5, 0.5), Bootstrap.MeanInterval([0.5, 0.5, 0.5]));
    }

    [Fact]
    public void TwoQueries_ZeroAndOne_SpanTheWholeRange()
    {
        // Resample means are 0, 0.5 or 1 with probabilities 1/4, 1/2, 1/4: the 2.5th percentile is 0 and the 97.5th is 1.
        var interval = Bootstrap.MeanInterval([0, 1]);

        Assert.Equal(new Interval(0.5, 0, 1), interval);
    }

    [Fact]
    public void PerQueryMetrics_OnATinySet_AreTheHandComputedOnes_AndTheIntervalIsSeeded()
    {
        var judgements = new Judgements();
        judgements.Add("q1", "a", 2);
        judgements.Add("q1", "b", 0);
        judgements.Add("q2", "c", 1);
        var rankings = new Dictionary<string, IReadOnlyList<string>> { ["q1"] = ["b", "a"], ["q2"] = ["c"] };

        var perQuery = RankingMetrics.PerQuery(rankings, judgements);

        // q1: the relevant document at rank 2: nDCG = (2 / log2 3) / 2, AP = 1/2; q2: perfect.
        Assert.Equal(1 / Math.Log2(3), perQuery["q1"].Ndcg, 12);
        Assert.Equal(0.5, perQuery["q1"].AveragePrecision, 12);
        Assert.Equal(new QueryMetrics(1, 1, 1), perQuery["q2"]);
        var ap = perQuery.Values.Select(q => q.AveragePrecision).ToList();
        var interval = Bootstrap.MeanInterval(ap);
        Assert.Equal(new Interval(0.75, 0.5, 1), interval);
        Assert.Equal(interval, Bootstrap.MeanInterval(ap));
    }
}
