namespace Marketplace.Matching.Ranking;

/// <summary>A sparse, L2-normalised vector: term ids in ascending order with their weights.</summary>
public readonly record struct SparseVector(int[] Ids, float[] Weights)
{
    public static SparseVector Empty { get; } = new([], []);

    public double Dot(SparseVector other)
    {
        double sum = 0;
        int i = 0, j = 0;
        while (i < Ids.Length && j < other.Ids.Length)
        {
            var a = Ids[i];
            var b = other.Ids[j];
            if (a == b)
            {
                sum += Weights[i++] * other.Weights[j++];
            }
            else if (a < b)
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
}

/// <summary>One way of seeing a text (words, bigrams, concepts, or all three in one bag), weighted by TF-IDF over a corpus.</summary>
public enum Representation
{
    Words,
    Bigrams,
    Concepts,

    /// <summary>
    /// Character bigrams and Latin words, jieba words and term-list concepts as terms of one bag: one vector, one idf
    /// scale and one norm, so a vendor reached only through a concept (another language) scores below one that shares
    /// the concept and its words, and no blend of cosines on different scales is needed.
    /// </summary>
    Fused,
}

/// <summary>
/// TF-IDF (sublinear tf, smoothed idf, L2 norm, as scikit-learn) over the words, character bigrams and term-list
/// concepts of a corpus of challenges and vendors, with an inverted index of the vendors' whole texts for candidate
/// generation. Built once per corpus (a refresh, an evaluation run); reading is thread-safe.
/// </summary>
public sealed class FeatureSpace
{
    private readonly Dictionary<string, int>[] _vocabularies = [new(StringComparer.Ordinal), new(StringComparer.Ordinal), [], new(StringComparer.Ordinal)];
    private readonly double[][] _idf = new double[4][];
    private readonly Dictionary<string, VendorVectors> _vendors = new(StringComparer.Ordinal);
    private readonly Dictionary<int, List<(int Vendor, float Weight)>>[] _postings = [[], [], [], []];
    private readonly List<VendorVectors> _vendorList = [];

    public FeatureSpace(IEnumerable<AnalysedVendor> vendors, IEnumerable<AnalysedChallenge> challenges)
    {
        var vendorList = vendors.ToList();
        var documents = vendorList.Select(v => v.Whole).Concat(challenges.Select(c => c.Whole)).ToList();
        foreach (var representation in Enum.GetValues<Representation>())
        {
            var df = new Dictionary<int, int>();
            foreach (var document in documents)
            {
                foreach (var id in Keys(document, representation, add: true))
                {
                    df[id] = df.GetValueOrDefault(id) + 1;
                }
            }

            var size = representation == Representation.Concepts ? (df.Count == 0 ? 0 : df.Keys.Max() + 1) : _vocabularies[(int)representation].Count;
            var idf = new double[size];
            for (var id = 0; id < size; id++)
            {
                idf[id] = Math.Log((1.0 + documents.Count) / (1.0 + df.GetValueOrDefault(id))) + 1;
            }

            _idf[(int)representation] = idf;
        }

        foreach (var vendor in vendorList)
        {
            var vectors = new VendorVectors(vendor, _vendorList.Count, Vectorise(vendor.Profile), [.. vendor.Cases.Select(Vectorise)], Vectorise(vendor.Whole));
            _vendors[vendor.Document.Id] = vectors;
            _vendorList.Add(vectors);
            foreach (var representation in Enum.GetValues<Representation>())
            {
                var vector = vectors.Whole[(int)representation];
                for (var i = 0; i < vector.Ids.Length; i++)
                {
                    if (!_postings[(int)representation].TryGetValue(vector.Ids[i], out var list))
                    {
                        _postings[(int)representation][vector.Ids[i]] = list = [];
                    }

                    list.Add((vectors.Position, vector.Weights[i]));
                }
            }
        }
    }

    public int VendorCount => _vendorList.Count;

    public IEnumerable<AnalysedVendor> Vendors => _vendorList.Select(v => v.Vendor);

    public bool Contains(string vendorId) => _vendors.ContainsKey(vendorId);

    public AnalysedVendor Vendor(string vendorId) => _vendors[vendorId].Vendor;

    /// <summary>A text's vectors in this space, one per <see cref="Representation"/> (terms the corpus never saw get the highest idf).</summary>
    public SparseVector[] Vectorise(AnalysedText text) =>
        [Vector(text, Representation.Words), Vector(text, Representation.Bigrams), Vector(text, Representation.Concepts), Vector(text, Representation.Fused)];

    /// <summary>Cosine of the challenge's whole text with every vendor's whole text in one representation, for vendors sharing a term.</summary>
    public Dictionary<string, double> Similar(SparseVector query, Representation representation)
    {
        var scores = new Dictionary<int, double>();
        var postings = _postings[(int)representation];
        for (var i = 0; i < query.Ids.Length; i++)
        {
            if (postings.TryGetValue(query.Ids[i], out var list))
            {
                foreach (var (vendor, weight) in list)
                {
                    scores[vendor] = scores.GetValueOrDefault(vendor) + (query.Weights[i] * weight);
                }
            }
        }

        return scores.ToDictionary(p => _vendorList[p.Key].Vendor.Document.Id, p => p.Value, StringComparer.Ordinal);
    }

    /// <summary>The text features of a pair (cosines in [0, 1]); see <see cref="PairFeatureVector"/> for their order.</summary>
    public TextSimilarities Similarities(ChallengeVectors challenge, string vendorId)
    {
        var vendor = _vendors[vendorId];
        double bestCaseWords = 0, bestCaseConcepts = 0, bestCaseFused = 0;
        foreach (var c in vendor.Cases)
        {
            bestCaseWords = Math.Max(bestCaseWords, challenge.Whole[0].Dot(c[0]));
            bestCaseConcepts = Math.Max(bestCaseConcepts, challenge.Whole[2].Dot(c[2]));
            bestCaseFused = Math.Max(bestCaseFused, challenge.Whole[3].Dot(c[3]));
        }

        var challengeConcepts = challenge.Source.Whole.Concepts;
        var covered = challengeConcepts.Count == 0 ? 0 : challengeConcepts.Keys.Count(vendor.Vendor.Whole.Concepts.ContainsKey) / (double)challengeConcepts.Count;
        return new TextSimilarities(
            Words: challenge.Whole[0].Dot(vendor.Whole[0]),
            TitleWords: challenge.Title[0].Dot(vendor.Whole[0]),
            ProfileWords: challenge.Whole[0].Dot(vendor.Profile[0]),
            Bigrams: challenge.Whole[1].Dot(vendor.Whole[1]),
            Concepts: challenge.Whole[2].Dot(vendor.Whole[2]),
            ConceptCoverage: covered,
            BestCaseWords: bestCaseWords,
            BestCaseConcepts: bestCaseConcepts,
            Fused: challenge.Whole[3].Dot(vendor.Whole[3]),
            ProfileFused: challenge.Whole[3].Dot(vendor.Profile[3]),
            BestCaseFused: bestCaseFused);
    }

    public ChallengeVectors Vectorise(AnalysedChallenge challenge) => new(challenge, Vectorise(challenge.Title), Vectorise(challenge.Whole));

    private IEnumerable<int> Keys(AnalysedText text, Representation representation, bool add)
    {
        if (representation == Representation.Concepts)
        {
            return text.Concepts.Keys;
        }

        var vocabulary = _vocabularies[(int)representation];
        var bag = Bag(text, representation);
        var ids = new List<int>(bag.Count);
        foreach (var term in bag.Keys)
        {
            if (!vocabulary.TryGetValue(term, out var id))
            {
                if (!add)
                {
                    continue;
                }

                vocabulary[term] = id = vocabulary.Count;
            }

            ids.Add(id);
        }

        return ids;
    }

    private SparseVector Vector(AnalysedText text, Representation representation)
    {
        var idf = _idf[(int)representation];
        var entries = new List<(int Id, double Weight)>();
        if (representation == Representation.Concepts)
        {
            foreach (var (id, count) in text.Concepts)
            {
                entries.Add((id, (1 + Math.Log(count)) * (id < idf.Length ? idf[id] : 1)));
            }
        }
        else
        {
            var vocabulary = _vocabularies[(int)representation];
            foreach (var (term, count) in Bag(text, representation))
            {
                // A term the corpus never saw cannot match any vendor; it still counts in the challenge's norm.
                var id = vocabulary.TryGetValue(term, out var known) ? known : -1 - entries.Count;
                entries.Add((id, (1 + Math.Log(count)) * (known >= 0 && id >= 0 ? idf[id] : Math.Log(_vendorList.Count + 2.0) + 1)));
            }
        }

        var norm = Math.Sqrt(entries.Sum(e => e.Weight * e.Weight));
        if (norm == 0)
        {
            return SparseVector.Empty;
        }

        entries.Sort((a, b) => a.Id.CompareTo(b.Id));
        return new SparseVector([.. entries.Select(e => e.Id)], [.. entries.Select(e => (float)(e.Weight / norm))]);
    }

    private static IReadOnlyDictionary<string, float> Bag(AnalysedText text, Representation representation) => representation switch
    {
        Representation.Words => text.Words,
        Representation.Bigrams => text.Bigrams,
        _ => text.Fused,
    };

    private sealed record VendorVectors(AnalysedVendor Vendor, int Position, SparseVector[] Profile, SparseVector[][] Cases, SparseVector[] Whole);
}

/// <summary>A challenge's vectors: title and whole text, each as words, bigrams and concepts.</summary>
public sealed record ChallengeVectors(AnalysedChallenge Source, SparseVector[] Title, SparseVector[] Whole);

public sealed record TextSimilarities(double Words, double TitleWords, double ProfileWords, double Bigrams, double Concepts, double ConceptCoverage, double BestCaseWords, double BestCaseConcepts,
    double Fused, double ProfileFused, double BestCaseFused);
