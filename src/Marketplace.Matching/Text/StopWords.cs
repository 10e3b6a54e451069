using System.Collections.Frozen;

namespace Marketplace.Matching.Text;

/// <summary>
/// Function words that carry no topic in either language. Chinese stop characters also stop the
/// bigrams that contain them, because "的缺" or "和检" are artefacts of overlapping windows.
/// </summary>
public static class StopWords
{
    private static readonly string[] English =
    [
        "a", "about", "above", "after", "again", "against", "all", "also", "am", "an", "and", "any", "are", "as", "at",
        "be", "because", "been", "before", "being", "below", "between", "both", "but", "by", "can", "could", "did", "do",
        "does", "doing", "down", "during", "each", "either", "etc", "few", "for", "from", "further", "had", "has", "have",
        "having", "he", "her", "here", "hers", "him", "his", "how", "i", "if", "in", "into", "is", "it", "its", "itself",
        "just", "may", "me", "might", "more", "most", "must", "my", "no", "nor", "not", "now", "of", "off", "on", "once",
        "only", "or", "other", "our", "ours", "out", "over", "own", "per", "same", "shall", "she", "should", "so", "some",
        "such", "than", "that", "the", "their", "theirs", "them", "then", "there", "these", "they", "this", "those",
        "through", "to", "too", "under", "until", "up", "upon", "us", "very", "via", "was", "we", "were", "what", "when",
        "where", "which", "while", "who", "whom", "why", "will", "with", "within", "without", "would", "you", "your",
        "yours", "e.g", "i.e", "eg", "ie",
    ];

    // Particles, pronouns, conjunctions and prepositions: single characters whose presence says nothing.
    private const string ChineseCharacters = "的了和与及或是在对为将把被也就都而其之这那等并从以由于着过个我你他她它们吗呢吧啊该此各每所很已";

    private static readonly string[] ChineseWords =
    [
        "进行", "可以", "一个", "通过", "以及", "需要", "目前", "能够", "其中", "以上", "以下", "如果", "因此", "但是",
        "或者", "并且", "然后", "同时", "主要", "我们", "他们", "公司", "企业", "相关", "实现", "具有", "没有", "一些",
    ];

    public static FrozenSet<string> EnglishWords { get; } = English.ToFrozenSet(StringComparer.Ordinal);

    public static FrozenSet<string> ChineseBigrams { get; } = ChineseWords.ToFrozenSet(StringComparer.Ordinal);

    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> EnglishLookup =
        EnglishWords.GetAlternateLookup<ReadOnlySpan<char>>();

    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> ChineseBigramLookup =
        ChineseBigrams.GetAlternateLookup<ReadOnlySpan<char>>();

    public static bool IsEnglishStopWord(ReadOnlySpan<char> word) => EnglishLookup.Contains(word);

    private static readonly System.Buffers.SearchValues<char> StopCharacters = System.Buffers.SearchValues.Create(ChineseCharacters);

    // Only bigrams starting with one of these can be stop bigrams: a cheap test before the set lookup.
    private static readonly System.Buffers.SearchValues<char> StopBigramStarts = System.Buffers.SearchValues.Create(string.Concat(ChineseWords.Select(w => w[0])));

    public static bool IsChineseStopCharacter(char c) => StopCharacters.Contains(c);

    public static bool IsChineseStopBigram(ReadOnlySpan<char> bigram) => StopBigramStarts.Contains(bigram[0]) && ChineseBigramLookup.Contains(bigram);
}
