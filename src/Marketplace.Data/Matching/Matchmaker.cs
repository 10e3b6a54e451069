using Marketplace.Core.Features.Matching;
using Marketplace.Matching;
using Marketplace.Matching.Learning;
using Marketplace.Matching.Ranking;
using Marketplace.Matching.Semantics;
using Microsoft.Extensions.Logging;

namespace Marketplace.Data.Matching;

/// <summary>How far a match run is: challenges ranked so far out of those to rank.</summary>
/// <summary>Where a refresh is: its stage (<see cref="MatchStages"/>) and, for the stage, how many of how many are done.</summary>
public sealed record MatchProgress(long RunId, string Stage, int Done, int Total);

/// <summary>The stages of a refresh, in order, as reported to the dashboard.</summary>
public static class MatchStages
{
    /// <summary>Changed vendors and challenges go into the index (Done / Total = documents).</summary>
    public const string Indexing = "indexing";

    /// <summary>The learned re-ranker is retrained on every logged decision (0 / 1, then 1 / 1).</summary>
    public const string Training = "training the re-ranker";

    /// <summary>Suggestions are ranked and stored (Done / Total = challenges).</summary>
    public const string Ranking = "ranking";

    public const string Completed = "completed";
}

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

    // The text ranker's view of each vendor (jieba words, bigrams, term-list concepts), re-analysed only when it changed.
    private readonly Dictionary<string, AnalysedVendor> _analysedVendors = new(StringComparer.Ordinal);
    private readonly Lazy<TextAnalyzer> _analyzer = new(() => new TextAnalyzer(TermList.Default));
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
                var documents = plan.ChangedVendors.Count + plan.ChangedChallenges.Count;
                progress?.Report(new MatchProgress(runId, MatchStages.Indexing, 0, documents));
                var changedVendors = await store.VendorDocumentsAsync(plan.ChangedVendors, cancellationToken);
                _index.UpsertMany(changedVendors);
                foreach (var vendor in changedVendors.AsParallel().Select(_analyzer.Value.Analyse).ToList())
                {
                    _analysedVendors[vendor.Document.Id] = vendor;
                }

                foreach (var id in plan.GoneVendors)
                {
                    _index.RemoveVendor(MatchStore.VendorKey(id));
                    _analysedVendors.Remove(MatchStore.VendorKey(id));
                }

                // The index holds what vendors may read: a confidential challenge enters with its title and tags only.
                _index.UpsertMany(await store.ChallengeDocumentsAsync(plan.ChangedChallenges, fullText: false, cancellationToken));
                foreach (var id in plan.GoneChallenges)
                {
                    _index.RemoveChallenge(MatchStore.ChallengeKey(id));
                }

                progress?.Report(new MatchProgress(runId, MatchStages.Indexing, documents, documents));
                var recompute = plan.Recompute;
                // Idf of the ranker's words and concepts is over the vendors: that is the collection it ranks.
                var ranker = new VendorRanker(_index, new FeatureSpace(_analysedVendors.Values, []), _analyzer.Value);
                progress?.Report(new MatchProgress(runId, MatchStages.Training, 0, 1));
                var reranker = await TrainRerankerAsync(ranker, cancellationToken);
                progress?.Report(new MatchProgress(runId, MatchStages.Training, 1, 1));
                progress?.Report(new MatchProgress(runId, MatchStages.Ranking, 0, recompute.Count));
                await StoreSuggestionsAsync(recompute, runId, ranker, reranker, progress, cancellationToken);
                await store.RemoveSuggestionsExceptAsync(challenges.Keys, cancellationToken);

                _indexedChallenges = challenges;
                _indexedVendors = vendors;
                _built = true;
                _indexLoaded = true;
                progress?.Report(new MatchProgress(runId, MatchStages.Completed, recompute.Count, recompute.Count));
                var rankerName = reranker.Report.UseModel ? "reranker" : "text";
                await store.FinishRunAsync(runId, "completed", challenges.Count, vendors.Count, rankerName, $"{recompute.Count} challenge(s) ranked; re-ranker: {reranker.Report.Reason}", cancellationToken);
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
    /// Trains the learned ranker (LambdaMART, ML.NET) on every decision logged so far. It only takes over when it beats
    /// the text score on held-out challenges (LearnedRanker decides and says why); otherwise the text ranker stands.
    /// ML.NET is loaded only here, on a refresh with enough decisions, never at start-up.
    /// </summary>
    private async Task<RerankerState> TrainRerankerAsync(VendorRanker ranker, CancellationToken cancellationToken)
    {
        var signals = await store.SignalsAsync(cancellationToken);
        var settings = new RerankerSettings();
        var pairs = signals.GroupBy(s => (s.ChallengeId, s.VendorId)).ToList();
        if (pairs.Count < settings.MinimumSignals)
        {
            return new RerankerState(new RerankerReport(false, $"only {pairs.Count} labelled pairs; {settings.MinimumSignals} needed", pairs.Count, null, null, null), new Dictionary<long, int>());
        }

        var awards = await store.AwardCountsAsync(cancellationToken);
        var challengeDocs = (await store.ChallengeDocumentsAsync(pairs.Select(p => p.Key.ChallengeId).Distinct().ToList(), fullText: true, cancellationToken)).ToDictionary(d => d.Id);
        // Features are computed once per challenge over its candidates (and the decided vendors), not once per pair.
        var features = new Dictionary<string, Dictionary<string, PairFeatures>>(StringComparer.Ordinal);
        foreach (var (key, challenge) in challengeDocs)
        {
            features[key] = ranker.CandidatesFor(challenge, ranker.Space.VendorCount, id => awards.GetValueOrDefault(MatchStore.IdOf(id)))
                .ToDictionary(c => c.Id, c => c.Features, StringComparer.Ordinal);
        }

        var labelled = new List<LabelledPair>();
        foreach (var pair in pairs)
        {
            var challengeKey = MatchStore.ChallengeKey(pair.Key.ChallengeId);
            var vendorKey = MatchStore.VendorKey(pair.Key.VendorId);
            if (features.TryGetValue(challengeKey, out var byVendor) && byVendor.TryGetValue(vendorKey, out var pairFeatures))
            {
                var grade = FeatureExtractor.GradeOf(pair.Select(s => Enum.Parse<DecisionKind>(s.Kind, ignoreCase: true)));
                labelled.Add(new LabelledPair(challengeKey, vendorKey, pairFeatures, grade));
            }
        }

        var report = LearnedRanker.Train(labelled, settings);
        logger.LogInformation("Re-ranker: {Reason}.", report.Reason);
        return new RerankerState(report, awards);
    }

    private async Task StoreSuggestionsAsync(IReadOnlyList<long> challengeIds, long runId, VendorRanker ranker, RerankerState reranker, IProgress<MatchProgress>? progress,
        CancellationToken cancellationToken)
    {
        // Suggestions are read by the challenge's own enterprise and the programme office, so they rank the full
        // text, confidential or not.
        var documents = await store.ChallengeDocumentsAsync(challengeIds, fullText: true, cancellationToken);
        var done = 0;
        foreach (var document in documents)
        {
            // The stored score stays the text score, so one scale holds across challenges and vendors; the order is the
            // model's when it earned its place.
            var ranked = ranker.Rank(document, StoredSuggestions, reranker.Report.UseModel ? reranker.Report : null, id => reranker.Awards.GetValueOrDefault(MatchStore.IdOf(id)));
            var matches = ranked.Select((v, i) => new Match(v.Id, v.TextScore, i + 1, v.Explanation)).ToList();
            await store.ReplaceSuggestionsAsync(MatchStore.IdOf(document.Id), matches, runId, cancellationToken);
            if (++done % 50 == 0)
            {
                await store.ReportProgressAsync(runId, done, cancellationToken);
            }

            if (done % 10 == 0 || done == documents.Count)
            {
                progress?.Report(new MatchProgress(runId, MatchStages.Ranking, done, challengeIds.Count));
            }
        }
    }

    public void Dispose() => _gate.Dispose();

    /// <summary>The trained ranker (or the decision not to use one) and the award counts it scores with.</summary>
    private sealed record RerankerState(RerankerReport Report, IReadOnlyDictionary<long, int> Awards);
}
