using System.Numerics.Tensors;

namespace Marketplace.Matching.Indexing;

/// <summary>
/// An immutable, fully weighted view of the index at one version: idf, average lengths and one
/// inverted index per kind of entity. Readers keep using the snapshot they took while a newer one
/// is built, which is what makes reads safe during updates.
/// </summary>
internal sealed class IndexSnapshot
{
    private readonly float[] _averageLength;

    private readonly bool[] _isTag;

    private IndexSnapshot(long version, MatchOptions options, int vocabularySize, int documentCount, float[] idf, float[] averageLength, bool[] isTag)
    {
        _isTag = isTag;
        Version = version;
        Options = options;
        VocabularySize = vocabularySize;
        DocumentCount = documentCount;
        Idf = idf;
        _averageLength = averageLength;
        UnknownIdf = InverseDocumentFrequency(0, documentCount, options.Scheme);
    }

    public long Version { get; }

    public MatchOptions Options { get; }

    public int VocabularySize { get; }

    public int DocumentCount { get; }

    public float[] Idf { get; }

    public float UnknownIdf { get; }

    public KindIndex[] Kinds { get; private set; } = [];

    public KindIndex this[EntityKind kind] => Kinds[(int)kind];

    public static IndexSnapshot Build(long version, StoredEntity[][] entitiesByKind, Vocabulary vocabulary, int vocabularySize, MatchOptions options)
    {
        var isTag = new bool[vocabularySize];
        for (var t = 0; t < vocabularySize; t++)
        {
            isTag[t] = vocabulary.StartsWith(t, DocumentAnalyzer.TagPrefix[0]);
        }

        var documentCount = entitiesByKind.Sum(e => e.Length);
        // One vocabulary-sized int array per core serves every counting pass of the build (document
        // frequencies, then postings per term of each kind) instead of fresh ones per pass: at millions
        // of terms each is megabytes, and the discarded ones would otherwise add to the peak memory.
        var partitions = Math.Max(1, Math.Min(Environment.ProcessorCount, entitiesByKind.Sum(e => e.Length) / 1000));
        var scratch = new int[partitions][];
        var df = CountDocumentFrequencies(entitiesByKind, vocabularySize, scratch);
        var idf = new float[vocabularySize];
        for (var t = 0; t < idf.Length; t++)
        {
            idf[t] = InverseDocumentFrequency(df[t], documentCount, options.Scheme);
        }

        var averageLength = new float[3 * 3];
        var unitCount = new int[averageLength.Length];
        for (var kind = 0; kind < entitiesByKind.Length; kind++)
        {
            foreach (var entity in entitiesByKind[kind])
            {
                foreach (var bag in entity.Bags)
                {
                    averageLength[(kind * 3) + (int)bag.Role] += bag.Length;
                    unitCount[(kind * 3) + (int)bag.Role]++;
                }
            }
        }

        for (var i = 0; i < averageLength.Length; i++)
        {
            averageLength[i] = unitCount[i] == 0 ? 1 : Math.Max(1, averageLength[i] / unitCount[i]);
        }

        var snapshot = new IndexSnapshot(version, options, vocabularySize, documentCount, idf, averageLength, isTag);
        snapshot.Kinds = [.. entitiesByKind.Select((entities, kind) => KindIndex.Build((EntityKind)kind, entities, snapshot, scratch))];
        return snapshot;
    }

    public static float InverseDocumentFrequency(int df, int documentCount, WeightingScheme scheme) => scheme switch
    {
        WeightingScheme.TfIdf => MathF.Log((1f + documentCount) / (1f + df)) + 1f,
        _ => MathF.Log(1f + ((documentCount - df + 0.5f) / (df + 0.5f))),
    };

    /// <summary>Whether this bag takes part in scoring under the configured aggregation.</summary>
    public bool IsScored(EntityKind kind, UnitRole role) =>
        kind == EntityKind.Challenge || (Options.Aggregation == CaseAggregation.Concatenate ? role == UnitRole.Whole : role != UnitRole.Whole);

    /// <summary>Writes the L2-normalised weights of <paramref name="bag"/> into <paramref name="weights"/>; returns the norm before normalising.</summary>
    public float Weigh(TermBag bag, EntityKind kind, Span<float> weights) => Weigh(bag, bag.GetTerms(), kind, weights);

    /// <summary>As <see cref="Weigh(TermBag, EntityKind, Span{float})"/>, with the bag's terms already decoded.</summary>
    public float Weigh(TermBag bag, ReadOnlySpan<int> terms, EntityKind kind, Span<float> weights)
    {
        var average = _averageLength[((int)kind * 3) + (int)bag.Role];
        var k1 = Options.Bm25K1;
        var lengthFactor = k1 * (1 - Options.Bm25B + (Options.Bm25B * bag.Length / average));
        for (var i = 0; i < terms.Length; i++)
        {
            var count = bag.CountAt(i);
            var tf = Options.Scheme == WeightingScheme.TfIdf
                ? (count >= 1 ? 1 + MathF.Log(count) : count)
                : count * (k1 + 1) / (count + lengthFactor);
            var term = terms[i];
            weights[i] = tf * ((uint)term < (uint)Idf.Length ? Idf[term] : UnknownIdf);
        }

        var used = weights[..terms.Length];
        var norm = TensorPrimitives.Norm<float>(used);
        if (Options.TagShare <= 0 || norm == 0)
        {
            if (norm > 0)
            {
                TensorPrimitives.Divide(used, norm, used);
            }

            return norm;
        }

        // Text terms and tags are normalised separately and joined as √(1-τ)·text ⊕ √τ·tags, so the
        // cosine of two such vectors is (1-τ)·text cosine + τ·tag cosine: tags get a guaranteed share
        // however long the text is, and the result is still one unit vector on one absolute scale.
        float textSquares = 0, tagSquares = 0;
        for (var i = 0; i < used.Length; i++)
        {
            var square = used[i] * used[i];
            if (IsTag(terms[i]))
            {
                tagSquares += square;
            }
            else
            {
                textSquares += square;
            }
        }

        if (tagSquares == 0 || textSquares == 0)
        {
            TensorPrimitives.Divide(used, norm, used);
            return norm;
        }

        var textScale = MathF.Sqrt(1 - Options.TagShare) / MathF.Sqrt(textSquares);
        var tagScale = MathF.Sqrt(Options.TagShare) / MathF.Sqrt(tagSquares);
        for (var i = 0; i < used.Length; i++)
        {
            used[i] *= IsTag(terms[i]) ? tagScale : textScale;
        }

        return norm;
    }

    private bool IsTag(int term) => (uint)term < (uint)_isTag.Length && _isTag[term];

    public float[] Weigh(TermBag bag, EntityKind kind) => Weigh(bag, bag.GetTerms(), kind);

    public float[] Weigh(TermBag bag, ReadOnlySpan<int> terms, EntityKind kind)
    {
        var weights = new float[terms.Length];
        Weigh(bag, terms, kind, weights);
        return weights;
    }

    /// <summary>
    /// Number of entities containing each term. The bags of one entity are each sorted by term, so the
    /// terms an entity's bags share are found by merging them (no per-term stamp array). Partition p
    /// counts into scratch[p] (p ≥ 1) or the returned array (p = 0), which are then summed.
    /// </summary>
    private static int[] CountDocumentFrequencies(StoredEntity[][] entitiesByKind, int vocabularySize, int[][] scratch)
    {
        var all = entitiesByKind.SelectMany(e => e).ToArray();
        var partitions = scratch.Length;
        var partial = new int[partitions][];
        Parallel.For(0, partitions, p =>
        {
            var df = p == 0 ? new int[vocabularySize + 1] : scratch[p] = new int[vocabularySize + 1];
            var cursors = new int[8];
            var decoded = new int[8][];
            for (var e = p; e < all.Length; e += partitions)
            {
                var bags = all[e].Bags;
                if (bags.Length == 1)
                {
                    decoded[0] ??= new int[1024];
                    foreach (var term in bags[0].GetTerms(ref decoded[0]))
                    {
                        df[term]++;
                    }

                    continue;
                }

                if (cursors.Length < bags.Length)
                {
                    cursors = new int[bags.Length * 2];
                    Array.Resize(ref decoded, bags.Length * 2);
                }

                Array.Clear(cursors, 0, bags.Length);
                for (var b = 0; b < bags.Length; b++)
                {
                    decoded[b] ??= new int[1024];
                    bags[b].GetTerms(ref decoded[b]);
                }
                while (true)
                {
                    var least = int.MaxValue;
                    for (var b = 0; b < bags.Length; b++)
                    {
                        var terms = decoded[b];
                        if (cursors[b] < bags[b].Count && terms[cursors[b]] < least)
                        {
                            least = terms[cursors[b]];
                        }
                    }

                    if (least == int.MaxValue)
                    {
                        break;
                    }

                    df[least]++;
                    for (var b = 0; b < bags.Length; b++)
                    {
                        var terms = decoded[b];
                        if (cursors[b] < bags[b].Count && terms[cursors[b]] == least)
                        {
                            cursors[b]++;
                        }
                    }
                }
            }

            partial[p] = df;
        });

        for (var p = 1; p < partitions; p++)
        {
            TensorPrimitives.Add<int>(partial[0], partial[p], partial[0]);
        }

        return partial[0];
    }
}

/// <summary>
/// The inverted index of one kind of entity. Scored units are numbered contiguously per entity;
/// postings are stored term by term (CSR layout) with the unit's final normalised weight, so a
/// query costs one multiply-add per posting of its terms.
/// </summary>
internal sealed class KindIndex
{
    public required EntityKind Kind { get; init; }

    public required StoredEntity[] Entities { get; init; }

    public required Dictionary<string, int> Positions { get; init; }

    /// <summary>Scored units of entity e are UnitStart[e] .. UnitStart[e+1]-1.</summary>
    public required int[] UnitStart { get; init; }

    public required UnitRole[] UnitRoles { get; init; }

    /// <summary>Which bag of its entity each scored unit is.</summary>
    public required int[] UnitBag { get; init; }

    public required int[] TermStart { get; init; }

    /// <summary>(unit, final weight) pairs, term by term: one array of pairs rather than two arrays, so building and reading a posting touches one cache line, not two.</summary>
    public required Posting[] Postings { get; init; }

    public int UnitCount => UnitRoles.Length;

    /// <summary>Builds the inverted index of one kind; <paramref name="scratch"/> holds reusable vocabulary-sized arrays, one per partition.</summary>
    public static KindIndex Build(EntityKind kind, StoredEntity[] entities, IndexSnapshot snapshot, int[][] scratch)
    {
        var vocabularySize = snapshot.VocabularySize;
        var unitStart = new int[entities.Length + 1];
        var roles = new List<UnitRole>();
        var unitBag = new List<int>();
        var positions = new Dictionary<string, int>(entities.Length, StringComparer.Ordinal);
        for (var e = 0; e < entities.Length; e++)
        {
            positions[entities[e].Id] = e;
            unitStart[e] = roles.Count;
            var bags = entities[e].Bags;
            for (var b = 0; b < bags.Length; b++)
            {
                if (snapshot.IsScored(kind, bags[b].Role))
                {
                    roles.Add(bags[b].Role);
                    unitBag.Add(b);
                }
            }
        }

        unitStart[entities.Length] = roles.Count;

        // Two passes over contiguous ranges of entities, one range per core: count postings per
        // term, then fill. Filling range p after the cursors of ranges < p keeps each posting list
        // sorted by unit, which the explanation's merge joins rely on.
        var partitions = Math.Max(1, Math.Min(scratch.Length, entities.Length / 1000));
        if (entities.Length == 0)
        {
            // No postings: a one-entry TermStart (vocabulary size 0 to Accumulate) instead of a vocabulary-sized one.
            vocabularySize = 0;
        }

        var bounds = Enumerable.Range(0, partitions + 1).Select(p => (int)((long)entities.Length * p / partitions)).ToArray();
        var counts = new int[partitions][];
        Parallel.For(0, partitions, p =>
        {
            var count = scratch[p] is { } reused && reused.Length >= vocabularySize + 1 ? reused : scratch[p] = new int[vocabularySize + 1];
            Array.Clear(count, 0, vocabularySize + 1);
            var decoded = new int[1024];
            for (var e = bounds[p]; e < bounds[p + 1]; e++)
            {
                for (var u = unitStart[e]; u < unitStart[e + 1]; u++)
                {
                    foreach (var term in entities[e].Bags[unitBag[u]].GetTerms(ref decoded))
                    {
                        count[term]++;
                    }
                }
            }

            counts[p] = count;
        });

        var termStart = new int[vocabularySize + 1];
        var total = 0;
        for (var t = 0; t < vocabularySize; t++)
        {
            termStart[t] = total;
            for (var p = 0; p < partitions; p++)
            {
                var c = counts[p][t];
                counts[p][t] = total; // becomes the fill cursor of range p
                total += c;
            }
        }

        termStart[vocabularySize] = total;
        var postings = new Posting[total];
        Parallel.For(0, partitions, p =>
        {
            var cursor = counts[p];
            var weights = new float[256];
            var decoded = new int[1024];
            for (var e = bounds[p]; e < bounds[p + 1]; e++)
            {
                for (var u = unitStart[e]; u < unitStart[e + 1]; u++)
                {
                    var bag = entities[e].Bags[unitBag[u]];
                    var terms = bag.GetTerms(ref decoded);
                    if (weights.Length < terms.Length)
                    {
                        weights = new float[terms.Length * 2];
                    }

                    snapshot.Weigh(bag, terms, kind, weights);
                    for (var i = 0; i < terms.Length; i++)
                    {
                        var slot = cursor[terms[i]]++;
                        postings[slot] = new Posting(u, weights[i]);
                    }
                }
            }
        });

        return new KindIndex
        {
            Kind = kind,
            Entities = entities,
            Positions = positions,
            UnitStart = unitStart,
            UnitRoles = [.. roles],
            UnitBag = [.. unitBag],
            TermStart = termStart,
            Postings = postings,
        };
    }

    /// <summary>Adds q·w for every posting of the query's terms into <paramref name="unitScores"/> (one slot per scored unit).</summary>
    public void Accumulate(ReadOnlySpan<int> queryTerms, ReadOnlySpan<float> queryWeights, Span<float> unitScores)
    {
        var vocabularySize = TermStart.Length - 1;
        for (var i = 0; i < queryTerms.Length; i++)
        {
            var term = queryTerms[i];
            if ((uint)term >= (uint)vocabularySize)
            {
                continue;
            }

            var start = TermStart[term];
            var end = TermStart[term + 1];
            var q = queryWeights[i];
            foreach (ref readonly var posting in Postings.AsSpan(start, end - start))
            {
                unitScores[posting.Unit] += q * posting.Weight;
            }
        }
    }
}

/// <summary>One posting: a scored unit and its final weight for the term.</summary>
internal readonly record struct Posting(int Unit, float Weight);
