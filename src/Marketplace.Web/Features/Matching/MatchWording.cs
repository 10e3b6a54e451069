using System.Text.RegularExpressions;
using Marketplace.Core.Challenges;
using Marketplace.Core.Matching;
using Marketplace.Matching;
using Marketplace.Matching.Semantics;
using Microsoft.Extensions.Localization;

namespace Marketplace.Web.Features.Matching;

/// <summary>A whole word (or a concept of the field) two documents share, and its share of the match score.</summary>
public sealed record SharedWord(string Word, double Share);

/// <summary>A match as a person reads it: a level with its meaning, two or three reasons in sentences, and the shared words.</summary>
public sealed record ReadableMatch(MatchLevel Level, string LevelText, string LevelMeaning, IReadOnlyList<string> Reasons, IReadOnlyList<SharedWord> Words);

/// <summary>
/// Turns the matcher's explanation (index terms: stems, character pairs, tag ids, numbers) into what a factory engineer
/// would say. A term is shown only as a whole word found in the challenge's own text ("rout" → "routing"), as a concept
/// of the field's term list that contains it (缺陷 → 缺陷检测), or not at all: no stems, no fragments like 陷类, no
/// bare numbers, no tag ids (tags are named in the reader's language in the reasons instead).
/// </summary>
public static class MatchWording
{
    private const int MaxWords = 6;

    public static ReadableMatch Read(double score, SuggestionReasons reasons, string challengeText, IStringLocalizer text, bool chinese)
    {
        var level = MatchLevels.Of(score);
        var words = SharedWords(reasons.Terms, challengeText);
        var sentences = new List<string>();
        if (reasons.BestCaseTitle is { Length: > 0 } caseTitle)
        {
            sentences.Add(text["Closest past project: {0}", caseTitle]);
        }

        if (reasons.MatchedTags.Count > 0)
        {
            var names = reasons.MatchedTags.Select(slug => Tags.Find(slug) is { } tag ? (chinese ? tag.NameZh : tag.NameEn) : null).OfType<string>().ToList();
            if (names.Count > 0)
            {
                sentences.Add(text["Same fields: {0}", string.Join(chinese ? "、" : ", ", names)]);
            }
        }

        if (words.Count > 0)
        {
            sentences.Add(text["Words in common: {0}", string.Join(chinese ? "、" : ", ", words.Take(3).Select(w => w.Word))]);
        }

        var (levelText, meaning) = level switch
        {
            MatchLevel.High => (text["Strong match"].Value, text["In our labelled test set about 9 in 10 pairs at this level were relevant."].Value),
            MatchLevel.Medium => (text["Worth a look"].Value, text["In our labelled test set about 1 in 3 pairs at this level were relevant."].Value),
            MatchLevel.Low => (text["Weak match"].Value, text["In our labelled test set fewer than 1 in 10 pairs at this level were relevant."].Value),
            _ => (text["Below the relevance cut-off"].Value, text["Almost no pairs at this level were relevant in our labelled test set."].Value),
        };
        return new ReadableMatch(level, levelText, meaning, sentences.Take(3).ToList(), words);
    }

    /// <summary>The explanation's terms as whole words of the challenge's text, largest share first, each word once.</summary>
    public static IReadOnlyList<SharedWord> SharedWords(IReadOnlyList<TermShare> terms, string challengeText)
    {
        var shares = new Dictionary<string, double>(StringComparer.OrdinalIgnoreCase);
        foreach (var term in terms)
        {
            if (WordFor(term.Term, challengeText) is { } word)
            {
                shares[word] = shares.GetValueOrDefault(word) + term.Share;
            }
        }

        return shares.OrderByDescending(s => s.Value).Take(MaxWords).Select(s => new SharedWord(s.Key, s.Value)).ToList();
    }

    /// <summary>The whole word a term stands for in the text, or null when it stands for none a person would recognise.</summary>
    public static string? WordFor(string term, string challengeText)
    {
        if (term.Length == 0 || term[0] == '#' || !term.Any(char.IsLetter))
        {
            return null; // tag ids are named in the reasons; numbers and units alone ("6000", "0%") say nothing
        }

        if (term.All(c => c < 128))
        {
            if (term.Any(char.IsDigit) && term.Count(char.IsLetter) < 3)
            {
                return null; // "0.5mm", "98%": a measurement without its subject
            }

            // A stem ("rout", "inspect") stands for the first whole word of the text that starts with it.
            var match = Regex.Match(challengeText, $@"\b{Regex.Escape(term)}[\p{{L}}\d-]*", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(50));
            return match.Success && match.Value.Length >= 3 ? match.Value.ToLowerInvariant() : null;
        }

        // Chinese characters and pairs are not words: the longest concept of the term list that contains the term and
        // appears in the text stands for it, else nothing does (缺陷 → 缺陷检测; 陷类 → nothing).
        return TermList.Default.Concepts
            .SelectMany(g => g.ChineseForms)
            .Where(form => form.Length >= term.Length && form.Contains(term, StringComparison.OrdinalIgnoreCase) && challengeText.Contains(form, StringComparison.OrdinalIgnoreCase))
            .OrderByDescending(form => form.Length)
            .FirstOrDefault();
    }

    /// <summary>The text of a challenge the matcher read, as the page has it.</summary>
    public static string TextOf(ChallengeDetail challenge) =>
        string.Join("\n", new[] { challenge.Title, challenge.Scenario, challenge.CurrentProcess, challenge.DataAvailable, challenge.Constraints, challenge.ExpectedOutcome }
            .Concat(challenge.AcceptanceTargets.Select(t => $"{t.Metric} {t.Threshold} {t.TestMethod}"))
            .Where(t => !string.IsNullOrWhiteSpace(t)));
}
