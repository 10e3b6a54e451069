using Marketplace.Matching.Semantics;

namespace Marketplace.Matching.Tests.Semantics;

/// <summary>The search box's reading of a query through the bilingual term list (seeds/terms/industrial-ai.tsv).</summary>
public sealed class SearchQueryTests
{
    private static readonly TermList Terms = TermList.Default;

    /// <summary>The tag vocabulary of docs/seeds.md, as (slug, Chinese name, English name).</summary>
    public static TheoryData<string, string, string> SomeTags() => new()
    {
        { "computer-vision", "机器视觉", "Computer vision" },
        { "soft-sensor", "软测量", "Soft sensors" },
        { "agv", "AGV/AMR", "AGV/AMR" },
        { "llm", "大模型", "Large language models" },
        { "data-platform", "数据平台", "Data platforms" },
    };

    [Theory]
    [MemberData(nameof(SomeTags))]
    public void TagDisplayNames_NameTheirTagsConcept_InBothLanguages(string slug, string chinese, string english)
    {
        Assert.Equal(slug, Assert.Single(Terms.Understand(chinese).Concepts, c => c.Tag == slug).Tag);
        Assert.Equal(slug, Assert.Single(Terms.Understand(english).Concepts, c => c.Tag == slug).Tag);
    }

    [Fact]
    public void AnEnglishWord_NamesTheConcept_WithItsChineseForms()
    {
        var query = Terms.Understand("Welds");

        var concept = Assert.Single(query.Concepts);
        Assert.Contains("焊缝", concept.SearchForms());
        Assert.Equal("Welds", query.Phrase);
    }

    [Fact]
    public void ChineseForms_AreFoundWithoutSpaces_LongestFirst()
    {
        Assert.Equal(["robot-grasping"], Terms.Understand("机器人抓取的视觉定位").Concepts.Select(c => c.Tag));
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

        Assert.DoesNotContain("MES", concept.SearchForms());
        Assert.Contains("制造执行系统", concept.SearchForms());
    }

    [Fact]
    public void AWordOfNoConcept_LeavesThePhraseAlone()
    {
        Assert.Empty(Terms.Understand("refrigerated trucks").Concepts);
    }
}
