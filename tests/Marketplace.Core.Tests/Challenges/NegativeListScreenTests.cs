using Marketplace.Core.Challenges;

namespace Marketplace.Core.Tests.Challenges;

public sealed class NegativeListScreenTests
{
    private static readonly NegativeListEntry[] Entries =
    [
        new() { Id = 1, Phrase = "员工 + 情绪识别", LabelZh = "人脸识别用于员工情绪监控", LabelEn = "Emotion recognition used to monitor employees" },
        new() { Id = 2, Phrase = "social scoring", LabelZh = "社会评分", LabelEn = "Social scoring" },
        new() { Id = 3, Phrase = "深度伪造", LabelZh = "深度伪造", LabelEn = "Deepfakes", IsActive = false },
    ];

    [Fact]
    public void APhraseWithParts_MatchesOnlyWhenEveryPartOccurs()
    {
        var flagged = NegativeListScreen.Check("在车间部署摄像头，对员工进行情绪识别，发现疲劳。", Entries);
        var clean = NegativeListScreen.Check("在车间对焊缝进行情绪无关的缺陷识别。员工培训。", Entries);

        var flag = Assert.Single(flagged);
        Assert.Equal(1, flag.EntryId);
        Assert.Equal(["员工", "情绪识别"], flag.MatchedParts);
        Assert.Contains("情绪识别", flag.Excerpt, StringComparison.Ordinal);
        Assert.Empty(clean);
    }

    [Fact]
    public void Matching_IgnoresCase_AndSkipsInactiveEntries()
    {
        var flags = NegativeListScreen.Check("A SOCIAL SCORING model for suppliers, with 深度伪造 voices.", Entries);

        Assert.Equal([2L], flags.Select(f => f.EntryId));
    }

    [Fact]
    public void Validate_RequiresAPhraseAndBothLabels()
    {
        var errors = NegativeListScreen.Validate(" + ", "", null);

        Assert.False(errors.IsEmpty);
        Assert.Equal(3, errors.ToError().FieldErrors!.Count);
    }
}
