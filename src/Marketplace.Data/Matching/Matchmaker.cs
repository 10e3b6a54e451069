using Marketplace.Core.Features.Matching;
using Marketplace.Matching;
using Marketplace.Matching.Learning;
using Microsoft.Extensions.Logging;

namespace Marketplace.Data.Matching;

/// <summary>How far a match run is: challenges ranked so far out of those to rank.</summary>
public sealed record MatchProgress(long RunId, int Done, int Total);

/// <summary>
/// Keeps the matcher's index in step with the database and stores each open challenge's top vendors for the
/// pages. The first use builds the index; later refreshes update only the documents whose change stamp moved
/// (a new or edited challenge, a vendor whose profile or cases changed) and remove those that left.
/// One refresh runs at a time; readers rank from the index's current snapshot meanwhile.
/// </summary>
public sealed class Matchmaker(MatchStore store, ILogger<Matchmaker> logger) : IDisposable
{
    /// <summary>How many vendors are stored per challenge for the suggestions panel.</summary>
    public const int StoredSuggestions = 10;

    /// <summary>The message of a run stopped by its caller (shutdown, an abandoned request) before it finished.</summary>
    public const string CancelledMessage = "Cancelled before it finished; the next refresh starts again.";

    private readonly MatchIndex _index = new();
    private readonly SemaphoreSlim _gate = new(1, 1);
    private Dictionary<long, DateTimeOffset> _indexedChallenges = [];
    private Dictionary<long, DateTimeOffset> _indexedVendors = [];
    private Dictionary<string, string> _indexedReviewers = new(StringComparer.Ordinal);
    private volatile bool _built;
    private volatile bool _indexLoaded;

    public bool IsReady => _built;

    /// <summary>Brings the index and the stored suggestions up to date; returns the run's id, or null when nothing had changed.</summary>
    public Task<long?> RefreshAsync(string reason, CancellationToken cancellationToken = default) => RefreshAsync(reason, null, cancellationToken);

    /// <summary>
    /// As <see cref="RefreshAsync(string, CancellationToken)"/>, telling <paramref name="progress"/> the run's id and how
    /// many of the challenges to rank are done (the rematch job shows it on the dashboard; match_runs.progress has it too).
    /// </summary>
    public async Task<long?> RefreshAsync(string reason, IProgress<MatchProgress>? progress, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var challenges = (await store.OpenChallengeStampsAsync(cancellationToken)).ToDictionary(s => s.Id, s => s.ChangedAt);
            var vendors = (await store.VendorStampsAsync(cancellationToken)).ToDictionary(s => s.Id, s => s.ChangedAt);
            var plan = RefreshPlan.Between(_indexedChallenges, challenges, _indexedVendors, vendors, _built);
            if (_built && plan.NothingChanged)
            {
                return null;
            }

            var runId = await store.StartRunAsync(reason, cancellationToken);
            try
            {
                _index.UpsertMany(await store.VendorDocumentsAsync(plan.ChangedVendors, cancellationToken));
                foreach (var id in plan.GoneVendors)
                {
                    _index.RemoveVendor(MatchStore.VendorKey(id));
                }

                // The index holds what vendors may read: a confidential challenge enters with its title and tags only.
                _index.UpsertMany(await store.ChallengeDocumentsAsync(plan.ChangedChallenges, fullText: false, cancellationToken));
                foreach (var id in plan.GoneChallenges)
                {
                    _index.RemoveChallenge(MatchStore.ChallengeKey(id));
                }

                var recompute = plan.Recompute;
                var reranker = await TrainRerankerAsync(cancellationToken);
                progress?.Report(new MatchProgress(runId, 0, recompute.Count));
                await StoreSuggestionsAsync(recompute, runId, reranker, progress, cancellationToken);
                await store.RemoveSuggestionsExceptAsync(challenges.Keys, cancellationToken);

                _indexedChallenges = challenges;
                _indexedVendors = vendors;
                _built = true;
                _indexLoaded = true;
                var ranker = reranker.Report.UseModel ? "reranker" : "text";
                await store.FinishRunAsync(runId, "completed", challenges.Count, vendors.Count, ranker, $"{recompute.Count} challenge(s) ranked; re-ranker: {reranker.Report.Reason}", cancellationToken);
                logger.LogInformation("Matcher {Reason}: {Challenges} open challenges, {Vendors} vendors; {Ranked} ranked.", reason, challenges.Count, vendors.Count, recompute.Count);
                return runId;
            }
            catch (Exception ex)
            {
                // Cancelled or failed, the run ends here: none is left "running" for good. The write must not be
                // cancelled by the same token, so it gets none.
                var message = ex is OperationCanceledException ? CancelledMessage : ex.Message;
                await store.FinishRunAsync(runId, "failed", challenges.Count, vendors.Count, "text", message, CancellationToken.None);
                throw;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Loads the in-memory index for a reader when no refresh has run in this process yet (the start-up refresh is
    /// still going, or failed). It only reads: match runs and stored suggestions are written by the refresh alone, so
    /// a page view never writes. The next refresh still ranks everything, because it has not run here.
    /// </summary>
    private async Task EnsureIndexLoadedAsync(CancellationToken cancellationToken)
    {
        if (_indexLoaded)
        {
            return;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_indexLoaded)
            {
                return;
            }

            var vendorIds = (await store.VendorStampsAsync(cancellationToken)).Select(s => s.Id).ToList();
            var challengeIds = (await store.OpenChallengeStampsAsync(cancellationToken)).Select(s => s.Id).ToList();
            _index.UpsertMany(await store.VendorDocumentsAsync(vendorIds, cancellationToken));
            _index.UpsertMany(await store.ChallengeDocumentsAsync(challengeIds, fullText: false, cancellationToken));
            _indexLoaded = true;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Reviewers for a proposal, best first, leaving out those with a conflict of interest. Reviewer profiles are
    /// few, so they are re-read on every call: a new reviewer is suggested at once.
    /// </summary>
    public async Task<IReadOnlyList<Match>> SuggestReviewersAsync(ProposalDocument proposal, IReadOnlySet<string> conflicted, int count, CancellationToken cancellationToken = default)
    {
        await SyncReviewersAsync(cancellationToken);
        return TopReviewersFor(proposal, conflicted, count);
    }

    /// <summary>
    /// Brings the reviewers in the index up to date with their profiles and returns those profiles, so a page that
    /// suggests reviewers for many proposals reads them once and then calls <see cref="TopReviewersFor"/> per proposal.
    /// </summary>
    public async Task<IReadOnlyList<ReviewerDocument>> SyncReviewersAsync(CancellationToken cancellationToken = default)
    {
        await EnsureIndexLoadedAsync(cancellationToken);
        var reviewers = await store.ReviewerDocumentsAsync(cancellationToken);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            // Only a changed reviewer is written: every write makes the next read rebuild the index snapshot.
            var current = reviewers.ToDictionary(r => r.Id, r => $"{r.Name}\u0001{r.Expertise}\u0001{string.Join(' ', r.Tags)}", StringComparer.Ordinal);
            foreach (var gone in _indexedReviewers.Keys.Where(id => !current.ContainsKey(id)).ToList())
            {
                _index.RemoveReviewer(gone);
            }

            foreach (var reviewer in reviewers.Where(r => !_indexedReviewers.TryGetValue(r.Id, out var seen) || seen != current[r.Id]))
            {
                _index.Upsert(reviewer);
            }

            _indexedReviewers = current;
        }
        finally
        {
            _gate.Release();
        }

        return reviewers;
    }

    /// <summary>Reviewers for a proposal from the index as last synchronised, best first, without the conflicted ones.</summary>
    public IReadOnlyList<Match> TopReviewersFor(ProposalDocument proposal, IReadOnlySet<string> conflicted, int count) =>
        _index.TopReviewersFor(proposal, count, conflicted);

    /// <summary>Open challenges for a vendor, on the same absolute score as the challenges' own lists.</summary>
    public async Task<IReadOnlyList<Match>> RecommendedChallengesAsync(long vendorId, int count, CancellationToken cancellationToken = default)
    {
        await EnsureIndexLoadedAsync(cancellationToken);
        return _index.TopChallengesFor(MatchStore.VendorKey(vendorId), count);
    }

    /// <summary>
    /// Trains the re-ranker on every decision logged so far. It only takes over when it beats the text score on
    /// held-out challenges (DecisionReranker decides and says why); otherwise the text score stands.
    /// </summary>
    private async Task<RerankerState> TrainRerankerAsync(CancellationToken cancellationToken)
    {
        var signals = await store.SignalsAsync(cancellationToken);
        var settings = new RerankerSettings();
        var pairs = signals.GroupBy(s => (s.ChallengeId, s.VendorId)).ToList();
        if (pairs.Count < settings.MinimumSignals)
        {
            return new RerankerState(DecisionReranker.Train([], settings), new Dictionary<string, VendorDocument>(), new Dictionary<long, int>());
        }

        var awards = await store.AwardCountsAsync(cancellationToken);
        var challengeDocs = (await store.ChallengeDocumentsAsync(pairs.Select(p => p.Key.ChallengeId).Distinct().ToList(), fullText: true, cancellationToken)).ToDictionary(d => d.Id);
        var vendorDocs = (await store.VendorDocumentsAsync(await AllVendorIdsAsync(cancellationToken), cancellationToken)).ToDictionary(d => d.Id);
        // Text scores are computed once per challenge (its whole vendor ranking), not once per pair.
        var textScores = challengeDocs.Values.ToDictionary(
            d => d.Id,
            d => _index.TopVendorsFor(d, vendorDocs.Count).ToDictionary(m => m.Id, m => m.Score, StringComparer.Ordinal));
        var labelled = new List<LabelledPair>();
        foreach (var pair in pairs)
        {
            var challengeKey = MatchStore.ChallengeKey(pair.Key.ChallengeId);
            var vendorKey = MatchStore.VendorKey(pair.Key.VendorId);
            if (challengeDocs.TryGetValue(challengeKey, out var challenge) && vendorDocs.TryGetValue(vendorKey, out var vendor))
            {
                var text = textScores[challengeKey].GetValueOrDefault(vendorKey);
                var grade = FeatureExtractor.GradeOf(pair.Select(s => Enum.Parse<DecisionKind>(s.Kind, ignoreCase: true)));
                labelled.Add(new LabelledPair(challengeKey, vendorKey, FeatureExtractor.Extract(challenge, vendor, text, awards.GetValueOrDefault(pair.Key.VendorId)), grade));
            }
        }

        var report = DecisionReranker.Train(labelled, settings);
        logger.LogInformation("Re-ranker: {Reason}.", report.Reason);
        return new RerankerState(report, vendorDocs, awards);
    }

    private async Task<List<long>> AllVendorIdsAsync(CancellationToken cancellationToken) =>
        (await store.VendorStampsAsync(cancellationToken)).Select(s => s.Id).ToList();

    private async Task StoreSuggestionsAsync(IReadOnlyList<long> challengeIds, long runId, RerankerState reranker, IProgress<MatchProgress>? progress, CancellationToken cancellationToken)
    {
        // Suggestions are read by the challenge's own enterprise and the programme office, so they rank the full
        // text, confidential or not.
        var documents = await store.ChallengeDocumentsAsync(challengeIds, fullText: true, cancellationToken);
        var done = 0;
        foreach (var document in documents)
        {
            var matches = reranker.Report.UseModel
                ? reranker.Rerank(document, _index.TopVendorsFor(document, StoredSuggestions * 3), StoredSuggestions)
                : _index.TopVendorsFor(document, StoredSuggestions);
            await store.ReplaceSuggestionsAsync(MatchStore.IdOf(document.Id), matches, runId, cancellationToken);
            if (++done % 50 == 0)
            {
                await store.ReportProgressAsync(runId, done, cancellationToken);
            }

            if (done % 10 == 0 || done == documents.Count)
            {
                progress?.Report(new MatchProgress(runId, done, challengeIds.Count));
            }
        }
    }

    public void Dispose() => _gate.Dispose();

    /// <summary>The trained re-ranker (or the decision not to use one) and what it needs to score a pair.</summary>
    private sealed record RerankerState(RerankerReport Report, IReadOnlyDictionary<string, VendorDocument> Vendors, IReadOnlyDictionary<long, int> Awards)
    {
        /// <summary>Re-orders the text matcher's candidates by the model; the stored score stays the text score, so it keeps one scale.</summary>
        public List<Match> Rerank(ChallengeDocument challenge, IReadOnlyList<Match> candidates, int count) =>
            candidates
                .Select(m => (Match: m, Score: Vendors.TryGetValue(m.Id, out var vendor)
                    ? Report.ScoreOf(FeatureExtractor.Extract(challenge, vendor, m.Score, Awards.GetValueOrDefault(MatchStore.IdOf(m.Id))))
                    : m.Score))
                .OrderByDescending(x => x.Score)
                .Take(count)
                .Select((x, index) => x.Match with { Rank = index + 1 })
                .ToList();
    }
}
