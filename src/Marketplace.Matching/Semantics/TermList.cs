using System.Globalization;
using System.Text;

namespace Marketplace.Matching.Semantics;

/// <summary>One concept of the field: its Chinese and English forms and the tag slug that stands for it, if any.</summary>
public sealed record Concept(int Id, IReadOnlyList<string> ChineseForms, IReadOnlyList<string> EnglishForms, string? Tag)
{
    /// <summary>The name shown in an explanation: the first form in the reader's language.</summary>
    public string Name(string language) => language == "zh" && ChineseForms.Count > 0 ? ChineseForms[0] : EnglishForms.Count > 0 ? EnglishForms[0] : ChineseForms[0];
}

/// <summary>
/// The bilingual term list of the field (seeds/terms/industrial-ai.tsv) as the matcher uses it: text in either language
/// is mapped to concept ids, so a Chinese challenge and an English vendor meet on 焊缝 = weld without any tag.
/// The search box reads queries through the same list (<see cref="SearchQueries"/>).
/// </summary>
public sealed class TermList
{
    private const string ResourceName = "Marketplace.Matching.industrial-ai.tsv";
    private static readonly Lazy<TermList> Shared = new(LoadEmbedded);
    private readonly (string Form, int Concept)[] _chinese;
    private readonly (string[] Words, int Concept)[] _english;

    private TermList(IReadOnlyList<Concept> concepts)
    {
        Concepts = concepts;
        // Longest forms first, so 机器人抓取 is read as itself and not as 机器人.
        _chinese = [.. concepts.SelectMany(c => c.ChineseForms.Select(f => (Form: f.ToLowerInvariant(), Concept: c.Id))).OrderByDescending(p => p.Form.Length)];
        _english = [.. concepts.SelectMany(c => c.EnglishForms.Select(f => (Words: Words(f), Concept: c.Id))).Where(p => p.Words.Length > 0).OrderByDescending(p => p.Words.Length)];
    }

    /// <summary>The list compiled into this library.</summary>
    public static TermList Default => Shared.Value;

    /// <summary>An empty list: no concepts, so no cross-language bridge (for measuring what the list adds).</summary>
    public static TermList Empty { get; } = new([]);

    public IReadOnlyList<Concept> Concepts { get; }

    public static TermList Parse(TextReader reader)
    {
        var concepts = new List<Concept>();
        var lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line) || line.TrimStart().StartsWith('#'))
            {
                continue;
            }

            var columns = line.Split('\t');
            if (columns.Length < 2)
            {
                throw new FormatException($"Term list line {lineNumber}: expected Chinese forms, a tab and English forms.");
            }

            static string[] Forms(string column) => column.Split('|', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            var tag = columns.Length > 2 && !string.IsNullOrWhiteSpace(columns[2]) ? columns[2].Trim() : null;
            concepts.Add(new Concept(concepts.Count, Forms(columns[0]), Forms(columns[1]), tag));
        }

        return new TermList(concepts);
    }

    /// <summary>
    /// A list without the concepts <paramref name="drop"/> selects (used to hold part of the list out and measure how
    /// much of a cross-language gain depends on the generator and the list sharing vocabulary).
    /// </summary>
    public TermList Without(Func<Concept, bool> drop)
    {
        var kept = Concepts.Where(c => !drop(c)).ToList();
        return new TermList([.. kept.Select((c, i) => c with { Id = i })]);
    }

    /// <summary>
    /// Concept ids named in the text with how often. Chinese forms are found anywhere (no spaces in Chinese) and a longer
    /// form claims its characters; English forms as whole words, a plural "s" ignored, longer phrases first.
    /// </summary>
    public Dictionary<int, int> ConceptsIn(string? text)
    {
        var found = new Dictionary<int, int>();
        if (string.IsNullOrEmpty(text) || Concepts.Count == 0)
        {
            return found;
        }

        var lower = text.ToLowerInvariant();
        var left = new StringBuilder(lower);
        foreach (var (form, concept) in _chinese)
        {
            var position = left.ToString().IndexOf(form, StringComparison.Ordinal);
            while (position >= 0)
            {
                found[concept] = found.GetValueOrDefault(concept) + 1;
                for (var i = position; i < position + form.Length; i++)
                {
                    left[i] = '\u0001';
                }

                position = left.ToString().IndexOf(form, position + form.Length, StringComparison.Ordinal);
            }
        }

        var words = Words(left.ToString());
        var claimed = new bool[words.Length];
        foreach (var (phrase, concept) in _english)
        {
            for (var start = 0; start + phrase.Length <= words.Length; start++)
            {
                if (!claimed[start] && phrase.AsSpan().SequenceEqual(words.AsSpan(start, phrase.Length)))
                {
                    found[concept] = found.GetValueOrDefault(concept) + 1;
                    Array.Fill(claimed, true, start, phrase.Length);
                }
            }
        }

        return found;
    }

    private static TermList LoadEmbedded()
    {
        using var stream = typeof(TermList).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The term list {ResourceName} is not compiled into Marketplace.Matching.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return Parse(reader);
    }

    /// <summary>Lower-case Latin words with a trailing plural "s" removed; anything else separates words.</summary>
    internal static string[] Words(string text)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        foreach (var c in text.ToLower(CultureInfo.InvariantCulture))
        {
            if (c < 128 && char.IsLetterOrDigit(c))
            {
                current.Append(c);
            }
            else if (current.Length > 0)
            {
                words.Add(Singular(current.ToString()));
                current.Clear();
            }
        }

        if (current.Length > 0)
        {
            words.Add(Singular(current.ToString()));
        }

        return [.. words];
    }

    private static string Singular(string word) => word.Length > 3 && word.EndsWith('s') && !word.EndsWith("ss", StringComparison.Ordinal) ? word[..^1] : word;
}
