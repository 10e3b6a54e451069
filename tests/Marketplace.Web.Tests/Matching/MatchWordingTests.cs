using Marketplace.Core.Matching;
using Marketplace.Web.Features.Matching;

namespace Marketplace.Web.Tests.Matching;

/// <summary>The decision report speaks in whole words: never a stem, a fragment of Chinese, a bare number or a tag id.</summary>
public sealed class MatchWordingTests
{
    private const string English = "Vehicle routing for 300 refrigerated drops a day; routes ignore traffic. Inspection at 6000 rpm, 0.5 mm.";
    private const string Chinese = "焊缝X射线实时成像，识别各种缺陷类型，实现缺陷检测与评级。管理部门要求留痕。";

    [Theory]
    [InlineData("rout", "routing")]
    [InlineData("inspect", "inspection")]
    [InlineData("refrigerat", "refrigerated")]
    public void AStem_IsShownAsTheWholeWordOfTheChallenge(string term, string word)
    {
        Assert.Equal(word, MatchWording.WordFor(term, English));
    }

    [Theory]
    [InlineData("6000")]
    [InlineData("0%")]
    [InlineData("0.5mm")]
    [InlineData("#edge-ai")]
    [InlineData("xyzzy")]
    public void NumbersTagIdsAndWordsNotInTheText_AreNotShown(string term)
    {
        Assert.Null(MatchWording.WordFor(term, English));
    }

    [Theory]
    [InlineData("缺陷", "缺陷检测")]
    [InlineData("焊缝", "焊缝")]
    [InlineData("射线", "X射线")]
    public void ChineseCharacterPairs_AreShownAsTheConceptThatContainsThem(string term, string word)
    {
        Assert.Equal(word, MatchWording.WordFor(term, Chinese));
    }

    [Theory]
    [InlineData("陷类")]
    [InlineData("理部")]
    [InlineData("类")]
    public void FragmentsOfChinese_AreNotShown(string term)
    {
        Assert.Null(MatchWording.WordFor(term, Chinese));
    }

    [Fact]
    public void SharesOfOneWord_AreAddedUp_AndTheLargestComesFirst()
    {
        var words = MatchWording.SharedWords([new TermShare("rout", 0.1), new TermShare("6000", 0.3), new TermShare("inspect", 0.15), new TermShare("routing", 0.1)], English);

        Assert.Equal(["routing", "inspection"], words.Select(w => w.Word));
        Assert.Equal(0.2, words[0].Share, 6);
    }

    [Fact]
    public void TheTermList_CoversEveryTagOfTheVocabulary_InBothLanguages()
    {
        foreach (var tag in Marketplace.Core.Challenges.Tags.All)
        {
            var concept = Assert.Single(Marketplace.Matching.Semantics.TermList.Default.Concepts, c => c.Tag == tag.Slug);
            Assert.Contains(tag.NameZh, concept.ChineseForms);
            Assert.Contains(concept.EnglishForms, f => string.Equals(f, tag.NameEn, StringComparison.OrdinalIgnoreCase));
        }
    }
}
