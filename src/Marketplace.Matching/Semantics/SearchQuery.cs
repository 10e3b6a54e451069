namespace Marketplace.Matching.Semantics;

/// <summary>What a search box query means: the phrase as typed, and the concepts of the field named in it.</summary>
public sealed record SearchQuery(string Phrase, IReadOnlyList<Concept> Concepts);

/// <summary>
/// The search box's reading of a query through the term list, so that a query in one language also finds the other:
/// "weld" finds 焊缝, 机器视觉 finds the challenges tagged computer-vision. Chinese forms are found anywhere in the query
/// (Chinese has no spaces), longest first; English forms as whole words, a plural "s" ignored.
/// </summary>
public static class SearchQueries
{
    /// <summary>The concepts named in the query; a longer Chinese form claims its characters (机器人抓取 is not also 机器人).</summary>
    public static SearchQuery Understand(this TermList terms, string query)
    {
        var phrase = query.Trim();
        var words = TermList.Words(phrase);
        var found = new List<Concept>();
        var chineseLeft = phrase;
        foreach (var (concept, form) in terms.Concepts.SelectMany(c => c.ChineseForms.Select(f => (c, f))).OrderByDescending(p => p.f.Length))
        {
            if (!found.Contains(concept) && chineseLeft.Contains(form, StringComparison.OrdinalIgnoreCase))
            {
                found.Add(concept);
                chineseLeft = chineseLeft.Replace(form, "\u0001", StringComparison.OrdinalIgnoreCase);
            }
        }

        foreach (var concept in terms.Concepts.Where(c => !found.Contains(c)))
        {
            if (concept.EnglishForms.Any(form => ContainsWords(words, TermList.Words(form))))
            {
                found.Add(concept);
            }
        }

        return new SearchQuery(phrase, found);
    }

    /// <summary>
    /// The forms a substring search may look for. Latin forms shorter than four letters are left out ("DR", "MES" and
    /// "PV" are found inside unrelated English words); they still name their concept when typed.
    /// </summary>
    public static IReadOnlyList<string> SearchForms(this Concept concept) =>
        [.. concept.ChineseForms.Concat(concept.EnglishForms).Where(f => f.Length >= 4 || !f.All(c => c < 128)).Distinct(StringComparer.OrdinalIgnoreCase)];

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
