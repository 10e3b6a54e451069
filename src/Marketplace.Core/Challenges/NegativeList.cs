namespace Marketplace.Core.Challenges;

/// <summary>
/// One entry of the negative list (负面清单) of prohibited applications. <see cref="Phrase"/> is matched
/// case-insensitively; "A + B" matches only when every part occurs somewhere in the text.
/// </summary>
public sealed record NegativeListEntry
{
    public long Id { get; init; }
    public string Phrase { get; init; } = "";
    public string LabelZh { get; init; } = "";
    public string LabelEn { get; init; } = "";
    public bool IsActive { get; init; } = true;
    public DateTimeOffset UpdatedAt { get; init; }

    public IReadOnlyList<string> Parts =>
        Phrase.Split('+', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
}

/// <summary>A negative-list hit: which entry, the words that matched and where, so the officer can judge it.</summary>
public sealed record NegativeListFlag(long EntryId, string Phrase, string LabelZh, string LabelEn, IReadOnlyList<string> MatchedParts, string Excerpt);

/// <summary>Checks a challenge's text against the negative list. Pure: the entries come from the caller.</summary>
public static class NegativeListScreen
{
    private const int ExcerptRadius = 30;

    public static IReadOnlyList<NegativeListFlag> Check(string text, IEnumerable<NegativeListEntry> entries)
    {
        var flags = new List<NegativeListFlag>();
        foreach (var entry in entries.Where(e => e.IsActive))
        {
            var parts = entry.Parts;
            if (parts.Count == 0)
            {
                continue;
            }

            var positions = parts.Select(p => text.IndexOf(p, StringComparison.OrdinalIgnoreCase)).ToList();
            if (positions.All(p => p >= 0))
            {
                flags.Add(new NegativeListFlag(entry.Id, entry.Phrase, entry.LabelZh, entry.LabelEn, parts, Excerpt(text, positions[0], parts[0].Length)));
            }
        }

        return flags;
    }

    /// <summary>Validates an officer's edit of an entry; field names as the form and the API use them.</summary>
    public static Common.ValidationErrors Validate(string? phrase, string? labelZh, string? labelEn)
    {
        var errors = new Common.ValidationErrors();
        if (string.IsNullOrWhiteSpace(phrase) || phrase.Split('+', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Length == 0)
        {
            errors.Add("phrase", "Enter the phrase to look for (use \"A + B\" when both must occur).");
        }
        else if (phrase.Length > 400)
        {
            errors.Add("phrase", "The phrase must be at most 400 characters.");
        }

        if (string.IsNullOrWhiteSpace(labelZh) || labelZh.Length > 400)
        {
            errors.Add("labelZh", "Name the prohibited application in Chinese (at most 400 characters).");
        }

        if (string.IsNullOrWhiteSpace(labelEn) || labelEn.Length > 400)
        {
            errors.Add("labelEn", "Name the prohibited application in English (at most 400 characters).");
        }

        // The negative list is saved by its store directly, not through a use case, so TextSafety's check is made here.
        foreach (var (field, text) in new[] { ("phrase", phrase), ("labelZh", labelZh), ("labelEn", labelEn) })
        {
            if (!Common.TextSafety.IsSafe(text, singleLine: true))
            {
                errors.Add(field, Common.TextSafety.IsSafe(text) ? Common.TextSafety.LineBreakMessage : Common.TextSafety.Message);
            }
        }

        return errors;
    }

    private static string Excerpt(string text, int index, int length)
    {
        var start = Math.Max(0, index - ExcerptRadius);
        var end = Math.Min(text.Length, index + length + ExcerptRadius);
        var excerpt = text[start..end].Replace('\n', ' ').Replace('\r', ' ');
        return (start > 0 ? "…" : "") + excerpt + (end < text.Length ? "…" : "");
    }
}
