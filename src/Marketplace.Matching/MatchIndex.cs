using System.Buffers;
using Marketplace.Matching.Indexing;

namespace Marketplace.Matching;

/// <summary>The top matches of one challenge.</summary>
public sealed record ChallengeMatches(string ChallengeId, IReadOnlyList<Match> Vendors);

/// <summary>
/// The matcher's index of challenges, vendors and reviewers. Build it once from all documents
/// (<see cref="UpsertMany(IEnumerable{ChallengeDocument})"/> and friends), then keep it current with
/// <c>Upsert</c> and <c>Remove…</c> as documents change.
/// <para>
/// Scores are cosine similarities of weighted term vectors, combined over a vendor's profile and
/// cases; they lie in [0, 1] and mean the same thing for every challenge and every vendor, so a
/// challenge's vendor list and a vendor's "recommended for you" list sort by the same number.
/// </para>
/// <para>
/// Thread safety: any number of readers may rank concurrently with writers. Writes only record the
/// new term bags; the next read after a write builds a new immutable snapshot (idf and norms change
/// with every document, so scores always equal those of an index rebuilt from scratch). While one
/// thread builds it, other readers answer from the previous snapshot instead of waiting, so a read
/// that races a write may not see it yet; the next read will.
/// </para>
/// </summary>
public sealed class MatchIndex
{
    private const int ExplainedTerms = 8;

    private readonly Vocabulary _vocabulary = new();
    private readonly DocumentAnalyzer _analyzer;
    private readonly Dictionary<string, StoredEntity>[] _entities = [new(StringComparer.Ordinal), new(StringComparer.Ordinal), new(StringComparer.Ordinal)];
    private readonly Lock _writeGate = new();
    private readonly Lock _refreshGate = new();
    private long _version;
    private volatile IndexSnapshot? _snapshot;

    public MatchIndex(MatchOptions? options = null)
    {
        Options = options ?? MatchOptions.Default;
        _analyzer = new DocumentAnalyzer(_vocabulary, Options.Fields);
    }

    public MatchOptions Options { get; }

    public int ChallengeCount => Count(EntityKind.Challenge);

    public int VendorCount => Count(EntityKind.Vendor);

    public int ReviewerCount => Count(EntityKind.Reviewer);

    public int TermCount => _vocabulary.Count;

    private bool WithWholeText => Options.Aggregation == CaseAggregation.Concatenate;

    public void Upsert(ChallengeDocument challenge) => Store(Analyze(challenge));

    public void Upsert(VendorDocument vendor) => Store(Analyze(vendor));

    public void Upsert(ReviewerDocument reviewer) =>
        Store(new StoredEntity(reviewer.Id, EntityKind.Reviewer, _analyzer.Analyze(reviewer, addTerms: true, WithWholeText), Slugs(reviewer.Tags)));

    /// <summary>Adds or replaces many challenges, analysing them on all cores.</summary>
    public void UpsertMany(IEnumerable<ChallengeDocument> challenges) => StoreMany(challenges.AsParallel().Select(Analyze));

    public void UpsertMany(IEnumerable<VendorDocument> vendors) => StoreMany(vendors.AsParallel().Select(Analyze));

    public bool RemoveChallenge(string id) => Remove(EntityKind.Challenge, id);

    public bool RemoveVendor(string id) => Remove(EntityKind.Vendor, id);

    public bool RemoveReviewer(string id) => Remove(EntityKind.Reviewer, id);

    /// <summary>Builds the snapshot now rather than on the next read (e.g. at start-up, to time it or to warm it).</summary>
    public void Refresh() => Current();

    /// <summary>The best <paramref name="k"/> vendors for an indexed challenge (empty if the id is unknown).</summary>
    public IReadOnlyList<Match> TopVendorsFor(string challengeId, int k, bool includeUnmatched = false)
    {
        var snapshot = Current();
        var challenges = snapshot[EntityKind.Challenge];
        return challenges.Positions.TryGetValue(challengeId, out var position)
            ? RankMultiUnitTargets(snapshot, challenges.Entities[position].Bags[0], EntityKind.Challenge, challenges.Entities[position].Tags, EntityKind.Vendor, k, includeUnmatched, excluded: null, explain: true)
            : [];
    }

    /// <summary>The best <paramref name="k"/> vendors for a challenge that need not be in the index (a draft, say).</summary>
    public IReadOnlyList<Match> TopVendorsFor(ChallengeDocument challenge, int k)
    {
        var snapshot = Current();
        var bag = _analyzer.Analyze(challenge, addTerms: false)[0];
        return RankMultiUnitTargets(snapshot, bag, EntityKind.Challenge, Slugs(challenge.Tags), EntityKind.Vendor, k, includeUnmatched: false, excluded: null, explain: true);
    }

    /// <summary>Challenges recommended for an indexed vendor, on the same score scale as <see cref="TopVendorsFor(string, int, bool)"/>.</summary>
    public IReadOnlyList<Match> TopChallengesFor(string vendorId, int k)
    {
        var snapshot = Current();
        var vendors = snapshot[EntityKind.Vendor];
        return vendors.Positions.TryGetValue(vendorId, out var position)
            ? RankSingleUnitTargets(snapshot, vendors.Entities[position], EntityKind.Vendor, EntityKind.Challenge, k)
            : [];
    }

    public IReadOnlyList<Match> TopChallengesFor(VendorDocument vendor, int k)
    {
        var snapshot = Current();
        var entity = new StoredEntity(vendor.Id, EntityKind.Vendor, _analyzer.Analyze(vendor, addTerms: false, WithWholeText), Slugs(vendor.Tags));
        return RankSingleUnitTargets(snapshot, entity, EntityKind.Vendor, EntityKind.Challenge, k);
    }

    /// <summary>
    /// Reviewers whose expertise and past reviews best match a proposal. Conflicts of interest are
    /// data applied before ranking: pass the conflicted reviewers' ids in <paramref name="excluded"/>.
    /// </summary>
    public IReadOnlyList<Match> TopReviewersFor(ProposalDocument proposal, int k, IReadOnlySet<string>? excluded = null)
    {
        var snapshot = Current();
        var bag = _analyzer.Analyze(proposal, addTerms: false)[0];
        return RankMultiUnitTargets(snapshot, bag, EntityKind.Challenge, Slugs(proposal.Tags), EntityKind.Reviewer, k, includeUnmatched: false, excluded, explain: true);
    }

    /// <summary>The score of one indexed pair with its explanation, or null when either id is unknown.</summary>
    public (double Score, MatchExplanation Explanation)? Explain(string challengeId, string vendorId)
    {
        var snapshot = Current();
        if (!snapshot[EntityKind.Challenge].Positions.TryGetValue(challengeId, out var c)
            || !snapshot[EntityKind.Vendor].Positions.TryGetValue(vendorId, out var v))
        {
            return null;
        }

        var challenge = snapshot[EntityKind.Challenge].Entities[c];
        var explanation = ExplainPair(snapshot, challenge.Bags[0], EntityKind.Challenge, challenge.Tags, snapshot[EntityKind.Vendor].Entities[v], EntityKind.Vendor, out var score);
        return (score, explanation);
    }

    /// <summary>
    /// Top vendors for every indexed challenge (the bulk command and the nightly precomputation),
    /// on all cores. <paramref name="k"/> of int.MaxValue with <paramref name="includeUnmatched"/> yields every pair.
    /// </summary>
    public IReadOnlyList<ChallengeMatches> TopVendorsForAllChallenges(int k, bool explain = true, bool includeUnmatched = false,
        IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        var snapshot = Current();
        var challenges = snapshot[EntityKind.Challenge].Entities;
        var results = new ChallengeMatches[challenges.Length];
        var done = 0;
        Parallel.For(0, challenges.Length, new ParallelOptions { CancellationToken = cancellationToken }, c =>
        {
            var challenge = challenges[c];
            var matches = RankMultiUnitTargets(snapshot, challenge.Bags[0], EntityKind.Challenge, challenge.Tags, EntityKind.Vendor, k, includeUnmatched, excluded: null, explain);
            results[c] = new ChallengeMatches(challenge.Id, matches);
            var finished = Interlocked.Increment(ref done);
            if (progress is not null && (finished % 500 == 0 || finished == challenges.Length))
            {
                progress.Report(finished);
            }
        });
        return results;
    }

    private StoredEntity Analyze(ChallengeDocument challenge) =>
        new(challenge.Id, EntityKind.Challenge, _analyzer.Analyze(challenge, addTerms: true), Slugs(challenge.Tags));

    private StoredEntity Analyze(VendorDocument vendor) =>
        new(vendor.Id, EntityKind.Vendor, _analyzer.Analyze(vendor, addTerms: true, WithWholeText), Slugs(vendor.Tags));

    private static string[] Slugs(IReadOnlyList<string> tags) =>
        [.. tags.Select(t => t.Trim().ToLowerInvariant()).Where(t => t.Length > 0).Distinct(StringComparer.Ordinal)];

    private int Count(EntityKind kind)
    {
        lock (_writeGate)
        {
            return _entities[(int)kind].Count;
        }
    }

    private void Store(StoredEntity entity)
    {
        lock (_writeGate)
        {
            _entities[(int)entity.Kind][entity.Id] = entity;
            _version++;
        }
    }

    private void StoreMany(IEnumerable<StoredEntity> entities)
    {
        var analysed = entities.ToList();
        lock (_writeGate)
        {
            foreach (var entity in analysed)
            {
                _entities[(int)entity.Kind][entity.Id] = entity;
            }

            _version++;
        }
    }

    private bool Remove(EntityKind kind, string id)
    {
        lock (_writeGate)
        {
            if (!_entities[(int)kind].Remove(id))
            {
                return false;
            }

            _version++;
            return true;
        }
    }

    private IndexSnapshot Current()
    {
        var snapshot = _snapshot;
        if (snapshot is not null && snapshot.Version == Interlocked.Read(ref _version))
        {
            return snapshot;
        }

        // While another thread builds the next snapshot, readers keep answering from the previous
        // one instead of queueing behind the build; a read that races a write may see the prior version.
        if (snapshot is not null && !_refreshGate.TryEnter())
        {
            return snapshot;
        }

        if (snapshot is null)
        {
            _refreshGate.Enter();
        }

        try
        {
            snapshot = _snapshot;
            if (snapshot is not null && snapshot.Version == Interlocked.Read(ref _version))
            {
                return snapshot;
            }

            StoredEntity[][] copy;
            long version;
            int vocabularySize;
            lock (_writeGate)
            {
                // Sorted by id so that positions, and therefore tie-breaks, do not depend on update history.
                copy = [.. _entities.Select(e => e.Values.OrderBy(x => x.Id, StringComparer.Ordinal).ToArray())];
                version = _version;
                vocabularySize = _vocabulary.Count;
            }

            snapshot = IndexSnapshot.Build(version, copy, _vocabulary, vocabularySize, Options);
            _snapshot = snapshot;
            return snapshot;
        }
        finally
        {
            _refreshGate.Exit();
        }
    }

    /// <summary>A one-unit query (challenge, proposal) against entities made of several units (vendors, reviewers).</summary>
    private List<Match> RankMultiUnitTargets(IndexSnapshot snapshot, TermBag query, EntityKind queryKind, string[] queryTags,
        EntityKind targetKind, int k, bool includeUnmatched, IReadOnlySet<string>? excluded, bool explain)
    {
        var target = snapshot[targetKind];
        var queryTerms = query.GetTerms();
        var weights = snapshot.Weigh(query, queryTerms, queryKind);
        var scores = ArrayPool<float>.Shared.Rent(Math.Max(1, target.UnitCount));
        var coefficients = new float[16];
        var top = new TopK(k);
        try
        {
            Array.Clear(scores, 0, target.UnitCount);
            target.Accumulate(queryTerms, weights, scores);
            for (var e = 0; e < target.Entities.Length; e++)
            {
                var start = target.UnitStart[e];
                var count = target.UnitStart[e + 1] - start;
                if (count == 0 || (excluded is not null && excluded.Contains(target.Entities[e].Id)))
                {
                    continue;
                }

                if (coefficients.Length < count)
                {
                    coefficients = new float[count * 2];
                }

                var score = count == 1
                    ? scores[start]
                    : Aggregation.Combine(scores.AsSpan(start, count), target.UnitRoles.AsSpan(start, count), snapshot.Options, coefficients);
                if (score > 0 || includeUnmatched)
                {
                    top.Offer(e, score);
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(scores);
        }

        return top.Drain((position, score, rank) =>
        {
            var entity = target.Entities[position];
            var explanation = explain ? ExplainPair(snapshot, query, queryKind, queryTags, entity, targetKind, out _) : MatchExplanation.None;
            return new Match(entity.Id, score, rank, explanation);
        });
    }

    /// <summary>A query made of several units (a vendor) against one-unit entities (challenges).</summary>
    private List<Match> RankSingleUnitTargets(IndexSnapshot snapshot, StoredEntity query, EntityKind queryKind, EntityKind targetKind, int k)
    {
        var target = snapshot[targetKind];
        var units = query.Bags.Where(b => snapshot.IsScored(queryKind, b.Role)).ToArray();
        var roles = units.Select(b => b.Role).ToArray();
        var scores = units.Select(_ => new float[Math.Max(1, target.UnitCount)]).ToArray();
        for (var u = 0; u < units.Length; u++)
        {
            var unitTerms = units[u].GetTerms();
            target.Accumulate(unitTerms, snapshot.Weigh(units[u], unitTerms, queryKind), scores[u]);
        }

        var similarities = new float[units.Length];
        var coefficients = new float[units.Length];
        var top = new TopK(k);
        for (var e = 0; e < target.Entities.Length && units.Length > 0; e++)
        {
            var unit = target.UnitStart[e];
            for (var u = 0; u < units.Length; u++)
            {
                similarities[u] = scores[u][unit];
            }

            var score = Aggregation.Combine(similarities, roles, snapshot.Options, coefficients);
            if (score > 0)
            {
                top.Offer(e, score);
            }
        }

        return top.Drain((position, score, rank) =>
        {
            var challenge = target.Entities[position];
            var explanation = ExplainPair(snapshot, challenge.Bags[0], targetKind, challenge.Tags, query, queryKind, out _);
            return new Match(challenge.Id, score, rank, explanation);
        });
    }

    /// <summary>Splits the score of (single-unit side, multi-unit side) by term; also finds the best case.</summary>
    private MatchExplanation ExplainPair(IndexSnapshot snapshot, TermBag single, EntityKind singleKind, string[] singleTags,
        StoredEntity multi, EntityKind multiKind, out float score)
    {
        var singleTerms = single.GetTerms();
        var singleWeights = snapshot.Weigh(single, singleTerms, singleKind);
        var scored = multi.Bags.Where(b => snapshot.IsScored(multiKind, b.Role)).ToArray();
        var unitTerms = scored.Select(b => b.GetTerms()).ToArray();
        var unitWeights = scored.Select((b, u) => snapshot.Weigh(b, unitTerms[u], multiKind)).ToArray();
        var similarities = new float[scored.Length];
        for (var u = 0; u < scored.Length; u++)
        {
            similarities[u] = SparseDot(singleTerms, singleWeights, unitTerms[u], unitWeights[u], null, 0);
        }

        var coefficients = new float[scored.Length];
        score = scored.Length == 0 ? 0 : Aggregation.Combine(similarities, [.. scored.Select(b => b.Role)], snapshot.Options, coefficients);
        var contributions = new float[singleTerms.Length];
        for (var u = 0; u < scored.Length; u++)
        {
            if (coefficients[u] != 0)
            {
                SparseDot(singleTerms, singleWeights, unitTerms[u], unitWeights[u], contributions, coefficients[u]);
            }
        }

        var total = score;
        var candidates = Enumerable.Range(0, contributions.Length)
            .Where(i => contributions[i] > 0)
            .OrderByDescending(i => contributions[i])
            .Take(ExplainedTerms * 3)
            .Select(i => (Term: _vocabulary[singleTerms[i]], Contribution: contributions[i]))
            .ToList();
        // A Chinese word scores through its characters and its bigram alike; listing 检, 检测 and 测
        // side by side says nothing more than 检测, so single characters covered by a listed bigram are left out.
        var topTerms = candidates
            .Where(c => c.Term.Length != 1 || !Text.Tokenizer.IsCjk(c.Term[0])
                        || !candidates.Any(other => other.Term.Length == 2 && other.Term.Contains(c.Term[0], StringComparison.Ordinal)))
            .Take(ExplainedTerms)
            .Select(c => new TermContribution(c.Term, Math.Round(c.Contribution / total, 4)))
            .ToList();

        var matchedTags = singleTags.Intersect(multi.Tags, StringComparer.Ordinal).ToList();

        BestCase? bestCase = null;
        var caseIndex = 0;
        foreach (var bag in multi.Bags)
        {
            if (bag.Role != UnitRole.Case)
            {
                continue;
            }

            var bagTerms = bag.GetTerms();
            var similarity = SparseDot(singleTerms, singleWeights, bagTerms, snapshot.Weigh(bag, bagTerms, multiKind), null, 0);
            if (similarity > 0 && (bestCase is null || similarity > bestCase.Score))
            {
                bestCase = new BestCase(caseIndex, bag.Title ?? string.Empty, Math.Round(similarity, 4));
            }

            caseIndex++;
        }

        return new MatchExplanation(topTerms, matchedTags, bestCase);
    }

    /// <summary>Dot product of two sparse vectors with ascending term ids; optionally records coefficient·product per term of the left side.</summary>
    private static float SparseDot(int[] leftTerms, float[] leftWeights, int[] rightTerms, float[] rightWeights, float[]? contributions, float coefficient)
    {
        var sum = 0f;
        int i = 0, j = 0;
        while (i < leftTerms.Length && j < rightTerms.Length)
        {
            var left = leftTerms[i];
            var right = rightTerms[j];
            if (left == right)
            {
                // Unknown query terms (negative ids) exist only on the query side and never meet here.
                var product = leftWeights[i] * rightWeights[j];
                sum += product;
                if (contributions is not null)
                {
                    contributions[i] += coefficient * product;
                }

                i++;
                j++;
            }
            else if (left < right)
            {
                i++;
            }
            else
            {
                j++;
            }
        }

        return sum;
    }

    /// <summary>Keeps the k best (score, position) pairs; ties go to the lower position, i.e. the smaller id.</summary>
    private sealed class TopK(int k)
    {
        private readonly PriorityQueue<int, (float Score, int Position)> _heap = new(Comparer<(float Score, int Position)>.Create(
            static (a, b) => a.Score != b.Score ? a.Score.CompareTo(b.Score) : b.Position.CompareTo(a.Position)));

        public void Offer(int position, float score)
        {
            if (k <= 0)
            {
                return;
            }

            if (_heap.Count < k)
            {
                _heap.Enqueue(position, (score, position));
            }
            else if (_heap.TryPeek(out _, out var worst) && (score > worst.Score || (score == worst.Score && position < worst.Position)))
            {
                _heap.DequeueEnqueue(position, (score, position));
            }
        }

        public List<Match> Drain(Func<int, float, int, Match> create)
        {
            var items = new (int Position, float Score)[_heap.Count];
            for (var i = items.Length - 1; i >= 0; i--)
            {
                _heap.TryDequeue(out var position, out var priority);
                items[i] = (position, priority.Score);
            }

            var matches = new List<Match>(items.Length);
            for (var i = 0; i < items.Length; i++)
            {
                matches.Add(create(items[i].Position, items[i].Score, i + 1));
            }

            return matches;
        }
    }
}
