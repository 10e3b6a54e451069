using Marketplace.Core.Matching;
using Marketplace.Core.Proposals;
using Marketplace.Data.Challenges;
using Marketplace.Data.Matching;
using Marketplace.Data.Proposals;
using Marketplace.Matching;
using Marketplace.Web.Features.Proposals;
using Marketplace.Web.Infrastructure;

namespace Marketplace.Web.Features.Matching;

/// <summary>A reviewer suggested for a proposal, with why.</summary>
public sealed record ReviewerSuggestion(long ReviewerUserId, string Name, int Rank, double Score, SuggestionReasons Reasons);

/// <summary>
/// Reviewers for a proposal: the proposal's technical text (approach, answers to the targets, team) and the
/// challenge's tags against each reviewer's declared expertise. Members of the bidding organisation and of its
/// consortium partners are left out as conflicted. Only the programme office asks, and only for a proposal it
/// may already read (after the deadline), so the sealing rules hold.
/// </summary>
public sealed class ReviewerSuggestionReader(ProposalStore proposals, ChallengeStore challenges, MatchStore store, Matchmaker matchmaker, Viewer viewer, TimeProvider clock)
{
    public const int Count = 5;

    /// <summary>Null when the caller may not read the proposal.</summary>
    public async Task<IReadOnlyList<ReviewerSuggestion>?> ForProposalAsync(long proposalId, CancellationToken cancellationToken)
    {
        if (!viewer.IsProgrammeStaff)
        {
            return null;
        }

        var proposal = await proposals.FindAsync(proposalId, await viewer.ForProposalsAsync(clock, cancellationToken), cancellationToken);
        if (proposal is null || proposal.IsAuthor)
        {
            return null;
        }

        var challenge = await challenges.FindAsync(proposal.ChallengeId, cancellationToken);
        var conflicted = await store.ConflictedReviewerKeysAsync([proposal.VendorId, .. proposal.Technical.Partners.Select(p => p.OrganisationId)], cancellationToken);
        var names = (await matchmaker.SyncReviewersAsync(cancellationToken)).ToDictionary(r => r.Id, r => r.Name);
        return Suggest(proposal, challenge?.Tags ?? [], conflicted, names);
    }

    /// <summary>
    /// Suggestions for many proposals of one challenge at once (the review board), from what the caller read in
    /// batches: the proposals, the challenge's tags, and per proposal the users conflicted with it.
    /// </summary>
    public async Task<IReadOnlyDictionary<long, IReadOnlyList<ReviewerSuggestion>>> ForProposalsAsync(IReadOnlyList<ProposalView> proposals, IReadOnlyList<string> tags,
        IReadOnlyDictionary<long, IReadOnlySet<long>> conflictedUsers, CancellationToken cancellationToken)
    {
        var suggestions = new Dictionary<long, IReadOnlyList<ReviewerSuggestion>>();
        if (proposals.Count == 0)
        {
            return suggestions;
        }

        // The reviewers are read once for the whole board, not once per proposal.
        var names = (await matchmaker.SyncReviewersAsync(cancellationToken)).ToDictionary(r => r.Id, r => r.Name);
        foreach (var proposal in proposals)
        {
            var conflicted = conflictedUsers.GetValueOrDefault(proposal.Id)?.Select(MatchStore.ReviewerKey).ToHashSet(StringComparer.Ordinal) ?? [];
            suggestions[proposal.Id] = Suggest(proposal, tags, conflicted, names);
        }

        return suggestions;
    }

    private List<ReviewerSuggestion> Suggest(ProposalView proposal, IReadOnlyList<string> tags, IReadOnlySet<string> conflicted,
        IReadOnlyDictionary<string, string> names)
    {
        var technical = proposal.Technical;
        var text = string.Join("\n", new[] { technical.Approach, technical.Team }
            .Concat(technical.TargetAnswers.Select(a => a.Answer))
            .Where(t => !string.IsNullOrWhiteSpace(t)));
        var document = new ProposalDocument("p" + proposal.Id, proposal.ChallengeTitle, text) { Tags = tags };
        var matches = matchmaker.TopReviewersFor(document, conflicted, Count);
        return matches.Select(m => new ReviewerSuggestion(
            MatchStore.IdOf(m.Id),
            names.GetValueOrDefault(m.Id, m.Id),
            m.Rank,
            m.Score,
            new SuggestionReasons(
                m.Explanation.TopTerms.Select(t => new TermShare(t.Term, t.Share)).ToList(),
                m.Explanation.MatchedTags,
                m.Explanation.BestCase?.Title,
                m.Explanation.BestCase?.Score))).ToList();
    }
}

/// <summary>The reviewer suggestions panel on a proposal's page; renders nothing for anyone but the programme office.</summary>
public sealed class SuggestedReviewersViewComponent(ReviewerSuggestionReader reader) : Microsoft.AspNetCore.Mvc.ViewComponent
{
    public async Task<Microsoft.AspNetCore.Mvc.IViewComponentResult> InvokeAsync(long proposalId)
    {
        var suggestions = await reader.ForProposalAsync(proposalId, HttpContext.RequestAborted);
        return suggestions is null ? Content("") : View("~/Features/Matching/SuggestedReviewers.cshtml", suggestions);
    }
}
