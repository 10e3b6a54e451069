using Marketplace.Matching.Learning;

namespace Marketplace.Matching.Tests.Learning;

public class RerankerTests
{
    [Fact]
    public void FewSignals_KeepTheTextScore()
    {
        var report = LearnedRanker.Train(Generate(20, trlDriven: true));

        Assert.False(report.UseModel);
        Assert.Contains("needed", report.Reason, StringComparison.Ordinal);
        Assert.Equal(0.42, report.ScoreOf(Pair(0.42, trl: 1)));
    }

    [Fact]
    public void SignalsDrivenByTrlFit_TrainAModelThatBeatsTheTextScore()
    {
        var report = LearnedRanker.Train(Generate(60, trlDriven: true));

        Assert.True(report.UseModel, report.Reason);
        Assert.True(report.Model!.NdcgAt10 > report.TextBaseline!.NdcgAt10 + 0.01);
        // Whatever the text score, a vendor that can deliver the TRL is ranked above one that cannot.
        Assert.True(report.ScoreOf(Pair(0.1, trl: 1)) > report.ScoreOf(Pair(0.9, trl: 0)));
    }

    [Fact]
    public void SignalsThatFollowTheTextScore_LeaveTheTextScoreInPlace()
    {
        // Decisions agree with the text ranking exactly; no model can beat it by the margin.
        var report = LearnedRanker.Train(Generate(60, trlDriven: false));

        Assert.False(report.UseModel, report.Reason);
        Assert.NotNull(report.TextBaseline);
        Assert.Contains("does not beat", report.Reason, StringComparison.Ordinal);
        Assert.Equal(0.7, report.ScoreOf(Pair(0.7, trl: 0)));
    }

    [Fact]
    public void Model_SavedAndLoaded_ScoresIdentically()
    {
        var pairs = Generate(60, trlDriven: true);
        var model = RankingModel.Train(pairs);
        using var stream = new MemoryStream();
        model.Save(stream);
        Assert.True(stream.Length > 0);
        stream.Position = 0;

        var loaded = RankingModel.Load(stream);

        var features = pairs.Take(50).Select(p => p.Features).ToList();
        Assert.Equal(model.Score(features), loaded.Score(features));
        Assert.NotEqual(1, model.Score(features).Distinct().Count());
    }

    [Fact]
    public void NonTextFeatures_AreComputedFromTheDocuments()
    {
        var challenge = new ChallengeDocument("c", "t", "d") { Tags = ["computer-vision", "defect-detection"], TargetTrl = 7, Language = "zh" };
        var vendor = new VendorDocument("v", "V", "p") { Tags = ["Computer-Vision", "edge-ai"], MaxTrlDelivered = 5, Language = "en" };

        var features = FeatureExtractor.NonText(challenge, vendor, pastAwards: 10);

        Assert.Equal((0.5, 1 - (2 / 3.0), 0.0, 1.0), features);
        Assert.Equal(2, FeatureExtractor.GradeOf([DecisionKind.Invited, DecisionKind.Awarded]));
        Assert.Equal(0, FeatureExtractor.GradeOf([DecisionKind.Dismissed]));
    }

    private static PairFeatures Pair(double text, double trl, Random? random = null)
    {
        double R() => random is null ? 0.5 : Math.Round(random.NextDouble(), 3);
        return new PairFeatures(text, R(), R(), R(), R(), R(), R(), R(), R(), R(), R(), trl, random is null ? 1 : random.Next(2), R());
    }

    /// <summary>
    /// Generated decisions for <paramref name="challenges"/> challenges with 8 candidates each. When
    /// <paramref name="trlDriven"/>, people invite the vendors that can deliver the target TRL,
    /// whatever their text score; otherwise they follow the text score.
    /// </summary>
    private static List<LabelledPair> Generate(int challenges, bool trlDriven)
    {
        var random = new Random(7);
        var pairs = new List<LabelledPair>();
        for (var c = 0; c < challenges; c++)
        {
            for (var v = 0; v < 8; v++)
            {
                var text = Math.Round(random.NextDouble(), 3);
                var trl = random.Next(2) == 0 ? 1.0 : 0.0;
                var grade = trlDriven
                    ? (trl == 1 ? (random.NextDouble() < 0.3 ? 2 : 1) : 0)
                    : (text > 0.8 ? 2 : text > 0.5 ? 1 : 0);
                pairs.Add(new LabelledPair($"ch-{c}", $"ven-{c}-{v}", Pair(text, trl, random), grade));
            }
        }

        return pairs;
    }
}
