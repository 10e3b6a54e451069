using Marketplace.Core.Challenges;
using Marketplace.Core.Search;

namespace Marketplace.Core.Tests.Search;

public sealed class BilingualTermsTests
{
    private static readonly BilingualTerms Terms = BilingualTerms.Default;

    [Fact]
    public void TheShippedList_CoversEveryTagOfTheVocabulary_InBothLanguages()
    {
        foreach (var tag in Tags.All)
        {
            var group = Assert.Single(Terms.Groups, g => g.Tag == tag.Slug);
            Assert.Contains(tag.NameZh, group.ChineseForms);
            Assert.Contains(group.EnglishForms, f => string.Equals(f, tag.NameEn, StringComparison.OrdinalIgnoreCase));
        }
    }

    [Fact]
    public void AnEnglishWord_NamesTheConcept_WithItsChineseForms()
    {
        var query = Terms.Understand("Welds");

        var concept = Assert.Single(query.Concepts);
        Assert.Contains("焊缝", concept.SearchForms);
        Assert.Equal("Welds", query.Phrase);
    }

    [Fact]
    public void ChineseForms_AreFoundWithoutSpaces_LongestFirst()
    {
        var query = Terms.Understand("机器人抓取的视觉定位");

        Assert.Equal(["robot-grasping"], query.Concepts.Select(c => c.Tag));
    }

    [Fact]
    public void TwoConcepts_AreBothFound()
    {
        var query = Terms.Understand("weld X-ray");

        Assert.Equal(2, query.Concepts.Count);
        Assert.Contains(query.Concepts, c => c.ChineseForms.Contains("射线"));
    }

    [Fact]
    public void ShortLatinForms_MatchWhenTyped_ButAreNotSearchedForInsideOtherWords()
    {
        var concept = Assert.Single(Terms.Understand("MES").Concepts);

        Assert.DoesNotContain("MES", concept.SearchForms);
        Assert.Contains("制造执行系统", concept.SearchForms);
    }

    [Fact]
    public void AWordOfNoConcept_LeavesThePhraseAlone()
    {
        Assert.Empty(Terms.Understand("refrigerated trucks").Concepts);
    }

    [Fact]
    public void ALineWithoutEnglishForms_IsRefusedWithItsLineNumber()
    {
        var error = Assert.Throws<FormatException>(() => BilingualTerms.Parse(new StringReader("# comment\n焊缝\n")));

        Assert.Contains("line 2", error.Message, StringComparison.Ordinal);
    }
}
