namespace Marketplace.Matching;

/// <summary>One ranked result with the reasons for it.</summary>
public sealed record Match(string Id, double Score, int Rank, MatchExplanation Explanation);

/// <summary>
/// Why a pair scored what it did: the terms that contributed most with their share of the score
/// (all shares together sum to 1; the top few are listed), the tags both sides carry, and the
/// portfolio case (or past review) that matched best.
/// </summary>
public sealed record MatchExplanation(IReadOnlyList<TermContribution> TopTerms, IReadOnlyList<string> MatchedTags, BestCase? BestCase)
{
    /// <summary>
    /// Concepts of the bilingual term list both sides name, as whole words in the challenge's language (焊缝, defect
    /// detection): how a Chinese challenge and an English vendor were found to match without tags. Empty from the index alone.
    /// </summary>
    public IReadOnlyList<string> MatchedConcepts { get; init; } = [];

    public static MatchExplanation None { get; } = new([], [], null);
}

/// <summary>A term and the fraction of the pair's score it contributed.</summary>
public sealed record TermContribution(string Term, double Share);

/// <summary>The best-matching case: its position in the portfolio (0-based), its title and its own similarity.</summary>
public sealed record BestCase(int Index, string Title, double Score);
