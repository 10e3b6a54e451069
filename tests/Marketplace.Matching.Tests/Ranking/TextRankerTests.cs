using Marketplace.Matching.Ranking;
using Marketplace.Matching.Semantics;
using Marketplace.Matching.Text;

namespace Marketplace.Matching.Tests.Ranking;

public class TextRankerTests
{
    [Fact]
    public void Jieba_SegmentsWeldDefectDetectionIntoWords_WithDictionariesFromTheOutputFolder()
    {
        Assert.True(File.Exists(Path.Combine(AppContext.BaseDirectory, "Resources", "dict.txt")));

        var words = ChineseWords.Segment("焊缝缺陷检测").ToList();

        Assert.Contains("焊缝", words);
        Assert.True(words.Contains("缺陷检测") || (words.Contains("缺陷") && words.Contains("检测")), string.Join('/', words));
        Assert.Equal("焊缝缺陷检测", string.Concat(words));
    }

    [Fact]
    public void TermList_MapsChineseAndEnglishFormsToTheSameConcepts()
    {
        var terms = TermList.Default;

        var chinese = terms.ConceptsIn("焊缝缺陷检测").Keys.ToHashSet();
        var english = terms.ConceptsIn("Defect detection of weld seams").Keys.ToHashSet();

        Assert.Equal(2, chinese.Count);
        Assert.Equal(chinese, english);
    }

    [Fact]
    public void EnglishVendorWithoutTags_IsFoundForAChineseChallenge_ThroughTheTermList()
    {
        var challenge = new ChallengeDocument("c1", "焊缝缺陷检测", "管道焊接焊缝的X射线图像缺陷检测，要求漏检率低于1%。");
        var vendors = new[]
        {
            new VendorDocument("weld", "Weld AI", "We build defect detection for weld seams on X-ray radiography of pipelines."),
            new VendorDocument("bakery", "Bakery Analytics", "Demand forecasting and sales forecasting for bakeries and retail chains."),
            new VendorDocument("textile", "纺织智能", "布匹织物表面的颜色管理与订单排产软件。"),
        };
        var withoutTerms = VendorRankerFactory.Build([challenge], vendors, terms: TermList.Empty);
        var withTerms = VendorRankerFactory.Build([challenge], vendors);

        var ranked = withTerms.Rank(challenge, 3);

        Assert.DoesNotContain(withoutTerms.Rank(challenge, 3), v => v.Id == "weld" && v.TextScore > 0);
        Assert.Equal("weld", ranked[0].Id);
        Assert.True(ranked[0].TextScore > 0);
        Assert.Contains("焊缝", ranked[0].Explanation.MatchedConcepts);
        Assert.Contains("缺陷检测", ranked[0].Explanation.MatchedConcepts);
    }

    [Fact]
    public void Concepts_WeighOnlyAcrossLanguages_WithinALanguageTheWordsAlreadyCarryThem()
    {
        var weights = TextRankerWeights.Default;
        var text = new TextSimilarities(Words: 0.3, TitleWords: 0.2, ProfileWords: 0.2, Bigrams: 0.25, Concepts: 0.8, ConceptCoverage: 1,
            BestCaseWords: 0.1, BestCaseConcepts: 0.5, Fused: 0.35, ProfileFused: 0.3, BestCaseFused: 0.2);

        var sameLanguage = weights.Combine(0.5, text, sameLanguage: true);
        var twoLanguages = weights.Combine(0.5, text, sameLanguage: false);

        Assert.Equal((0.6 * 0.5) + (0.4 * 0.35), sameLanguage, 12);
        Assert.Equal((0.6 * sameLanguage) + (0.4 * 0.8), twoLanguages, 12);
        // Without the bridge (the previous behaviour) the language makes no difference.
        var plain = new TextRankerWeights(0.4, 0.1, 0.1, 0, Fused: 0.4);
        Assert.Equal(plain.Combine(0.5, text, true), plain.Combine(0.5, text, false), 12);
    }

    [Fact]
    public void FusedBag_HoldsBigramsJiebaWordsAndConcepts_AndBridgesLanguagesOnlyThroughConcepts()
    {
        var analyzer = new TextAnalyzer(TermList.Default);
        var chinese = analyzer.Analyse("焊缝缺陷检测");

        Assert.Contains("焊缝", chinese.Fused.Keys);           // a character bigram
        Assert.Contains("w:焊缝", chinese.Fused.Keys);         // the same as a jieba word
        Assert.Equal(2, chinese.Fused.Keys.Count(k => k.StartsWith("c:", StringComparison.Ordinal)));
        var english = analyzer.Analyse("Defect detection of weld seams");
        Assert.Equal(
            chinese.Fused.Keys.Where(k => k.StartsWith("c:", StringComparison.Ordinal)).Order(StringComparer.Ordinal),
            english.Fused.Keys.Intersect(chinese.Fused.Keys).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void FusedCosine_RanksTheVendorSharingWordsAndConceptsAboveTheOneReachedOnlyThroughAConcept()
    {
        var challenge = new ChallengeDocument("c1", "焊缝缺陷检测", "管道焊缝的X射线图像缺陷检测。");
        var vendors = new[]
        {
            new VendorDocument("zh-weld", "焊视", "管道焊缝X射线图像缺陷检测系统。"),
            new VendorDocument("en-weld", "Weld AI", "Defect detection for weld seams on X-ray images of pipelines."),
            new VendorDocument("bakery", "Bakery Analytics", "Demand forecasting for bakeries."),
        };
        var ranker = VendorRankerFactory.Build([challenge], vendors);

        var features = ranker.CandidatesFor(challenge, 10).ToDictionary(v => v.Id, v => v.Features);

        Assert.True(features["zh-weld"].Fused > features["en-weld"].Fused, $"{features["zh-weld"].Fused} vs {features["en-weld"].Fused}");
        Assert.True(features["en-weld"].Fused > 0);
        Assert.False(features.ContainsKey("bakery") && features["bakery"].Fused > 0);
        Assert.InRange(features["zh-weld"].Fused, 0, 1.0001);
    }
}
