using Marketplace.Matching.Learning;

namespace Marketplace.Matching.Tests.Learning;

public class RerankerTests
{
    [Fact]
    public void FewSignals_KeepTheTextScore()
    {
        var report = DecisionReranker.Train(Generate(20, trlDriven: true));

        Assert.False(report.UseModel);
        Assert.Contains("needed", report.Reason, StringComparison.Ordinal);
        var features = new PairFeatures(0.42, 1, 1, 0, 1);
        Assert.Equal(0.42, report.ScoreOf(features));
    }

    [Fact]
    public void SignalsDrivenByTrlFit_TrainAModelThatBeatsTheTextScore()
    {
        var report = DecisionReranker.Train(Generate(60, trlDriven: true));

        Assert.True(report.UseModel, report.Reason);
        Assert.True(report.Model!.NdcgAt10 > report.TextBaseline!.NdcgAt10);
        Assert.True(report.Regression!.Weights[2] > 0, "TRL fit should get a positive weight");
    }

    [Fact]
    public void SignalsThatFollowTheTextScore_LeaveTheTextScoreInPlace()
    {
        // Decisions agree with the text ranking exactly; no model can beat it by the margin.
        var report = DecisionReranker.Train(Generate(60, trlDriven: false));

        Assert.False(report.UseModel, report.Reason);
        Assert.NotNull(report.TextBaseline);
        Assert.Equal(0.7, report.ScoreOf(new PairFeatures(0.7, 0, 0, 0, 0)));
    }

    [Fact]
    public void FeatureExtractor_ComputesEachFeature()
    {
        var challenge = new ChallengeDocument("c", "t", "d") { Tags = ["computer-vision", "defect-detection"], TargetTrl = 7, Language = "zh" };
        var vendor = new VendorDocument("v", "V", "p") { Tags = ["Computer-Vision", "edge-ai"], MaxTrlDelivered = 5, Language = "en" };

        var features = FeatureExtractor.Extract(challenge, vendor, 0.3, pastAwards: 10);

        Assert.Equal(new PairFeatures(0.3, 0.5, 1 - (2 / 3.0), 1, 0), features);
        Assert.Equal(2, FeatureExtractor.GradeOf([DecisionKind.Invited, DecisionKind.Awarded]));
        Assert.Equal(0, FeatureExtractor.GradeOf([DecisionKind.Dismissed]));
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
                var features = new PairFeatures(text, random.NextDouble(), trl, random.NextDouble(), random.Next(2));
                var grade = trlDriven
                    ? (trl == 1 ? (random.NextDouble() < 0.3 ? 2 : 1) : 0)
                    : (text > 0.8 ? 2 : text > 0.5 ? 1 : 0);
                pairs.Add(new LabelledPair($"ch-{c}", $"ven-{c}-{v}", features, grade));
            }
        }

        return pairs;
    }
}
