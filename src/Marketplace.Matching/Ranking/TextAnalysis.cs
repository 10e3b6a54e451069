using Marketplace.Matching.Semantics;
using Marketplace.Matching.Text;

namespace Marketplace.Matching.Ranking;

/// <summary>
/// One text seen three ways beside the index's own terms: words (jieba words for Chinese, the tokenizer's stemmed
/// words and numbers for Latin script), character bigrams (Chinese) plus Latin words (the plain baseline's
/// representation), and concepts of the bilingual term list.
/// </summary>
public sealed record AnalysedText(IReadOnlyDictionary<string, float> Words, IReadOnlyDictionary<string, float> Bigrams, IReadOnlyDictionary<int, float> Concepts)
{
    private IReadOnlyDictionary<string, float>? _fused;

    public static AnalysedText Empty { get; } = new(new Dictionary<string, float>(), new Dictionary<string, float>(), new Dictionary<int, float>());

    /// <summary>
    /// The three views as one bag: bigrams and Latin words as they are, jieba words marked "w:" (a two-character word
    /// is also a bigram; both count), concepts marked "c:" (language-independent, so they are the only terms an English
    /// and a Chinese text can share).
    /// </summary>
    public IReadOnlyDictionary<string, float> Fused => _fused ??= BuildFused();

    private Dictionary<string, float> BuildFused()
    {
        var bag = new Dictionary<string, float>(Bigrams, StringComparer.Ordinal);
        foreach (var (word, count) in Words)
        {
            if (word.Length > 0 && Tokenizer.IsCjk(word[0]))
            {
                bag["w:" + word] = count;
            }
        }

        foreach (var (concept, count) in Concepts)
        {
            bag["c:" + concept.ToString(System.Globalization.CultureInfo.InvariantCulture)] = count;
        }

        return bag;
    }
}

/// <summary>A challenge analysed for the ranking features: title alone and everything together.</summary>
public sealed record AnalysedChallenge(ChallengeDocument Document, AnalysedText Title, AnalysedText Whole, string Language);

/// <summary>A vendor analysed for the ranking features: profile, each case, and everything together.</summary>
public sealed record AnalysedVendor(VendorDocument Document, AnalysedText Profile, IReadOnlyList<AnalysedText> Cases, AnalysedText Whole, string Language);

public sealed class TextAnalyzer(TermList terms)
{
    public TermList Terms { get; } = terms;

    public AnalysedChallenge Analyse(ChallengeDocument challenge)
    {
        var body = string.Join('\n', [challenge.Title, challenge.Description, .. challenge.AcceptanceTargets]);
        return new AnalysedChallenge(challenge, Analyse(challenge.Title), Analyse(body), challenge.Language ?? LanguageOf(body));
    }

    public AnalysedVendor Analyse(VendorDocument vendor)
    {
        var cases = vendor.Portfolio.Select(c => Analyse(c.Title + "\n" + c.Text)).ToList();
        var whole = string.Join('\n', [vendor.Profile, .. vendor.Portfolio.Select(c => c.Title + "\n" + c.Text)]);
        return new AnalysedVendor(vendor, Analyse(vendor.Profile), cases, Analyse(whole), vendor.Language ?? LanguageOf(whole));
    }

    public AnalysedText Analyse(string? text)
    {
        var normalized = TextNormalizer.Normalize(text);
        var words = new Dictionary<string, float>(StringComparer.Ordinal);
        var bigrams = new Dictionary<string, float>(StringComparer.Ordinal);
        foreach (var token in Tokenizer.Tokenize(normalized))
        {
            if (!Tokenizer.IsCjk(token[0]))
            {
                Add(words, token);
                Add(bigrams, token);
            }
        }

        // Chinese runs: jieba words (two characters or more: single characters are mostly function words) and raw bigrams.
        var start = -1;
        for (var i = 0; i <= normalized.Length; i++)
        {
            var cjk = i < normalized.Length && Tokenizer.IsCjk(normalized[i]);
            if (cjk && start < 0)
            {
                start = i;
            }
            else if (!cjk && start >= 0)
            {
                var run = normalized[start..i];
                foreach (var word in ChineseWords.Segment(run))
                {
                    if (word.Length >= 2 && !StopWords.IsChineseStopBigram(word.Length == 2 ? word : "  "))
                    {
                        Add(words, word);
                    }
                }

                for (var j = 0; j + 1 < run.Length; j++)
                {
                    Add(bigrams, run.Substring(j, 2));
                }

                start = -1;
            }
        }

        var concepts = Terms.ConceptsIn(normalized).ToDictionary(p => p.Key, p => (float)p.Value);
        return new AnalysedText(words, bigrams, concepts);
    }

    /// <summary>"zh" when at least a fifth of the letters are CJK ideographs, else "en".</summary>
    public static string LanguageOf(string text)
    {
        int cjk = 0, letters = 0;
        foreach (var c in text)
        {
            if (Tokenizer.IsCjk(c))
            {
                cjk++;
                letters++;
            }
            else if (char.IsLetter(c))
            {
                letters++;
            }
        }

        return letters > 0 && cjk * 5 >= letters ? "zh" : "en";
    }

    private static void Add(Dictionary<string, float> bag, string term) => bag[term] = bag.GetValueOrDefault(term) + 1;
}
