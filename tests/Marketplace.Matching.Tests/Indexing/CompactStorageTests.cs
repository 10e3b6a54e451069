using Marketplace.Matching.Indexing;
using Marketplace.Matching.Text;

namespace Marketplace.Matching.Tests.Indexing;

/// <summary>
/// The indexing fast paths (buffered normalising, span tokenising, counting into a hash table with a
/// radix sort, gap-encoded term ids, byte counts, CJK terms kept as keys) must give exactly what the
/// straightforward forms give.
/// </summary>
public class CompactStorageTests
{
    [Theory]
    [InlineData("")]
    [InlineData("Plain ASCII\tText\nWith  Tabs")]
    [InlineData("带钢表面缺陷检测，准确率≥98%")]
    [InlineData("ＡＩ　Ｄｅｆｅｃｔ　２０２４")]
    [InlineData("ﬁnite ① ｶﾀｶﾅ 㐀 Straße")] // ligature, circled digit, half-width katakana: the NFKC path
    [InlineData("mixed 中文 and English — 85℃ ± 0.5 mm")]
    public void BufferedNormalize_EqualsNormalize(string text)
    {
        var buffer = new char[2]; // too small on purpose: it must grow
        Assert.Equal(TextNormalizer.Normalize(text), TextNormalizer.Normalize(text, ref buffer).ToString());
    }

    [Fact]
    public void SpanTokenizer_EqualsStringTokenizer()
    {
        const string text = "Cracks in 0.5 mm steel, ≥ 98 % recall; YOLOv8 检测带钢的缺陷 2,000 parts/h";
        var normalized = TextNormalizer.Normalize(text);
        var fromSpan = new List<string>();
        Tokenizer.TokenizeNormalized(normalized.AsSpan(), new CollectingSink(fromSpan));
        Assert.Equal(Tokenizer.Tokenize(text), fromSpan);
    }

    [Fact]
    public void Vocabulary_RoundTripsCjkAndOtherTerms()
    {
        var vocabulary = new Vocabulary();
        string[] terms = ["缺", "缺陷", "#computer-vision", "inspect", "ｶ", "가나", "0.5mm"];
        var ids = terms.Select(t => vocabulary.GetOrAdd(t)).ToArray();
        Assert.Equal(Enumerable.Range(0, terms.Length), ids);
        for (var i = 0; i < terms.Length; i++)
        {
            Assert.Equal(terms[i], vocabulary[ids[i]]);
            Assert.Equal(ids[i], vocabulary.Find(terms[i]));
            Assert.Equal(ids[i], vocabulary.GetOrAdd(terms[i]));
            Assert.Equal(terms[i][0] == '#', vocabulary.StartsWith(ids[i], '#'));
        }

        Assert.Equal(-1, vocabulary.Find("陷"));
        Assert.Equal(-1, vocabulary.Find("陷检"));
        Assert.Equal(-1, vocabulary.Find("unknown"));
    }

    [Fact]
    public void TermBag_RoundTripsLargeGapsAndNonHalfStepCounts()
    {
        int[] terms = [0, 1, 127, 128, 16_511, 2_113_662, 270_549_119, int.MaxValue];
        float[] counts = [1, 0.5f, 2, 127.5f, 3, 0.3f, 300, 1];
        var bag = new TermBag(UnitRole.Case, terms, counts, 12.5f, "title");
        Assert.Equal(terms, bag.GetTerms());
        var buffer = new int[1];
        Assert.Equal(terms, bag.GetTerms(ref buffer).ToArray());
        Assert.Equal(counts, Enumerable.Range(0, counts.Length).Select(bag.CountAt));
        Assert.Equal(terms.Length, bag.Count);
        Assert.Equal(UnitRole.Case, bag.Role);
        Assert.Equal(12.5f, bag.Length);
        Assert.Equal("title", bag.Title);

        // Half steps up to 127.5 are stored in a byte each; negative (unknown query) ids stay plain.
        int[] queryTerms = [-3, -1, 4, 9];
        float[] halfSteps = [0.5f, 1, 127.5f, 64];
        var query = new TermBag(UnitRole.Whole, queryTerms, halfSteps, 4);
        Assert.Equal(queryTerms, query.GetTerms());
        Assert.Equal(halfSteps, Enumerable.Range(0, halfSteps.Length).Select(query.CountAt));
    }

    [Fact]
    public void TermBag_RejectsUnsortedTerms()
    {
        Assert.Throws<ArgumentException>(() => new TermBag(UnitRole.Whole, [3, 2], [1, 1], 2));
        Assert.Throws<ArgumentException>(() => new TermBag(UnitRole.Whole, [1, 2], [1], 2));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Analyzer_CountsEqualANaiveCount(bool longText)
    {
        // Long texts (≥ 128 distinct terms) take the radix sort, short ones the comparison sort.
        var words = Enumerable.Range(0, longText ? 600 : 40).Select(i => $"w{i % (longText ? 300 : 25)}x{(char)('a' + (i % 7))}word").ToList();
        var description = string.Join(' ', words) + " 带钢表面缺陷检测 带钢";
        var vocabulary = new Vocabulary();
        vocabulary.GetOrAdd("padding"); // ids need not start at the first term of the document
        var analyzer = new DocumentAnalyzer(vocabulary, new FieldWeights(2, 1, 0.5f, 1));
        var challenge = new ChallengeDocument("c1", "带钢 title", description) { Tags = ["surface-inspection"], AcceptanceTargets = ["recall 98%"] };
        var bag = analyzer.Analyze(challenge, addTerms: true).Single();

        var expected = new Dictionary<string, float>(StringComparer.Ordinal);
        void Count(string? text, float weight)
        {
            foreach (var token in Tokenizer.Tokenize(text))
            {
                expected[token] = expected.GetValueOrDefault(token) + weight;
            }
        }

        Count(challenge.Title, 2);
        Count(challenge.Description, 1);
        Count(challenge.AcceptanceTargets[0], 0.5f);
        expected["#surface-inspection"] = 1;

        var terms = bag.GetTerms();
        Assert.True(terms.Zip(terms.Skip(1)).All(pair => pair.First < pair.Second), "terms must be strictly ascending");
        var actual = terms.Select((term, i) => (vocabulary[term], bag.CountAt(i))).ToDictionary(p => p.Item1, p => p.Item2, StringComparer.Ordinal);
        Assert.Equal(expected.OrderBy(p => p.Key, StringComparer.Ordinal), actual.OrderBy(p => p.Key, StringComparer.Ordinal));
        Assert.Equal(expected.Values.Sum(), bag.Length, 3);
    }

    private readonly struct CollectingSink(List<string> tokens) : ITokenSink
    {
        public void Add(ReadOnlySpan<char> token) => tokens.Add(token.ToString());
    }
}
