using System.Globalization;
using System.Text;

namespace Marketplace.Core.Search;

/// <summary>One concept of the field in both languages (焊缝 / weld, welding, …), with the tag that stands for it, if any.</summary>
public sealed record TermGroup(IReadOnlyList<string> ChineseForms, IReadOnlyList<string> EnglishForms, string? Tag)
{
    /// <summary>
    /// The forms a text search may look for. Latin forms shorter than four letters are left out ("DR", "MES" and "PV"
    /// are found inside unrelated English words by a substring search); they still match when typed.
    /// </summary>
    public IReadOnlyList<string> SearchForms { get; } =
        [.. ChineseForms.Concat(EnglishForms).Where(f => f.Length >= 4 || !f.All(c => c < 128)).Distinct(StringComparer.OrdinalIgnoreCase)];
}

/// <summary>What a search box query means: the phrase as typed, and the concepts of the field found in it.</summary>
public sealed record SearchQuery(string Phrase, IReadOnlyList<TermGroup> Concepts);

/// <summary>
/// The bilingual term list of the field (seeds/terms/industrial-ai.tsv, compiled in). It turns a query in one language
/// into the concepts it names, so a search for "weld" also finds 焊缝 and one for 机器视觉 finds the challenges tagged
/// computer-vision. Chinese forms are found anywhere in the query (Chinese has no spaces); English forms as whole
/// words, a plural "s" ignored.
/// </summary>
public sealed class BilingualTerms
{
    private const string ResourceName = "Marketplace.Core.Search.industrial-ai.tsv";
    private static readonly Lazy<BilingualTerms> Shared = new(LoadEmbedded);

    private BilingualTerms(IReadOnlyList<TermGroup> groups) => Groups = groups;

    /// <summary>The list as shipped with the application.</summary>
    public static BilingualTerms Default => Shared.Value;

    public IReadOnlyList<TermGroup> Groups { get; }

    /// <summary>Reads the tab-separated list: Chinese forms, English forms (each "|"-separated), an optional tag.</summary>
    public static BilingualTerms Parse(TextReader reader)
    {
        var groups = new List<TermGroup>();
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
            groups.Add(new TermGroup(Forms(columns[0]), Forms(columns[1]), tag));
        }

        return new BilingualTerms(groups);
    }

    /// <summary>The concepts named in the query, longest Chinese forms first so 机器人抓取 is not read as 机器人 alone.</summary>
    public SearchQuery Understand(string query)
    {
        var phrase = query.Trim();
        var words = Words(phrase);
        var found = new List<TermGroup>();
        var chineseLeft = phrase;
        foreach (var (group, form) in Groups.SelectMany(g => g.ChineseForms.Select(f => (g, f))).OrderByDescending(p => p.f.Length))
        {
            if (!found.Contains(group) && chineseLeft.Contains(form, StringComparison.OrdinalIgnoreCase))
            {
                found.Add(group);
                // A longer form claims its characters: 机器人抓取 does not also count as 机器人.
                chineseLeft = chineseLeft.Replace(form, "\u0001", StringComparison.OrdinalIgnoreCase);
            }
        }

        foreach (var group in Groups.Where(g => !found.Contains(g)))
        {
            if (group.EnglishForms.Any(form => ContainsWords(words, Words(form))))
            {
                found.Add(group);
            }
        }

        return new SearchQuery(phrase, found);
    }

    private static BilingualTerms LoadEmbedded()
    {
        using var stream = typeof(BilingualTerms).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The term list {ResourceName} is not compiled into Marketplace.Core.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return Parse(reader);
    }

    /// <summary>Lower-case Latin words with a trailing plural "s" removed; other characters separate words.</summary>
    private static string[] Words(string text)
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

    private static bool ContainsWords(string[] haystack, string[] needle)
    {
        if (needle.Length == 0 || needle.Length > haystack.Length)
        {
            return false;
        }

        for (var start = 0; start + needle.Length <= haystack.Length; start++)
        {
            if (needle.AsSpan().SequenceEqual(haystack.AsSpan(start, needle.Length)))
            {
                return true;
            }
        }

        return false;
    }
}
