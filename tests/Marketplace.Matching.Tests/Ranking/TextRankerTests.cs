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
}
