using Marketplace.Matching.Text;

namespace Marketplace.Matching.Indexing;

/// <summary>What part of an entity a unit of text is.</summary>
public enum UnitRole : byte
{
    /// <summary>The whole entity as one text (challenges; vendors under <see cref="CaseAggregation.Concatenate"/>).</summary>
    Whole,

    /// <summary>A vendor's capability profile or a reviewer's declared expertise.</summary>
    Profile,

    /// <summary>One portfolio case, awarded project or past review.</summary>
    Case,
}

/// <summary>
/// The bag of terms of one unit: ascending term ids with field-weighted counts. Negative ids are
/// query terms the index has never seen: they cannot match but still count in the query's norm,
/// so a text full of unknown words scores lower on the absolute scale.
/// </summary>
public sealed record TermBag(UnitRole Role, int[] Terms, float[] Counts, float Length, string? Title = null);

/// <summary>Turns documents into term bags, field by field.</summary>
public sealed class DocumentAnalyzer(Vocabulary vocabulary, FieldWeights fields)
{
    [ThreadStatic]
    private static TermCounter? t_counter;

    public const string TagPrefix = "#";

    public TermBag[] Analyze(ChallengeDocument challenge, bool addTerms)
    {
        var counter = Begin(addTerms);
        counter.AddText(challenge.Title, fields.Title);
        counter.AddText(challenge.Description, fields.Body);
        foreach (var target in challenge.AcceptanceTargets)
        {
            counter.AddText(target, fields.Targets);
        }

        counter.AddTags(challenge.Tags, fields.Tags);
        return [counter.ToBag(UnitRole.Whole)];
    }

    /// <summary>Profile first, then one bag per case; a whole-text bag is appended when <paramref name="withWhole"/>.</summary>
    public TermBag[] Analyze(VendorDocument vendor, bool addTerms, bool withWhole)
    {
        var parts = new List<TermBag>(vendor.Portfolio.Count + 2);
        var counter = Begin(addTerms);
        if (!string.IsNullOrWhiteSpace(vendor.Profile) || vendor.Tags.Count > 0)
        {
            counter.AddText(vendor.Profile, fields.Body);
            counter.AddTags(vendor.Tags, fields.Tags);
            parts.Add(counter.ToBag(UnitRole.Profile));
        }

        foreach (var portfolioCase in vendor.Portfolio)
        {
            counter.Reset();
            counter.AddText(portfolioCase.Title, fields.Title);
            counter.AddText(portfolioCase.Text, fields.Body);
            parts.Add(counter.ToBag(UnitRole.Case, portfolioCase.Title));
        }

        if (withWhole)
        {
            parts.Add(Merge(parts));
        }

        return [.. parts];
    }

    public TermBag[] Analyze(ReviewerDocument reviewer, bool addTerms, bool withWhole)
    {
        var vendor = new VendorDocument(reviewer.Id, reviewer.Name, reviewer.Expertise)
        {
            Tags = reviewer.Tags,
            Portfolio = [.. reviewer.PastReviews.Select((review, i) => new PortfolioCase($"review {i + 1}", review))],
        };
        return Analyze(vendor, addTerms, withWhole);
    }

    public TermBag[] Analyze(ProposalDocument proposal, bool addTerms)
    {
        var counter = Begin(addTerms);
        counter.AddText(proposal.Title, fields.Title);
        counter.AddText(proposal.Text, fields.Body);
        counter.AddTags(proposal.Tags, fields.Tags);
        return [counter.ToBag(UnitRole.Whole)];
    }

    /// <summary>Sums the counts of several bags: the concatenation of their texts.</summary>
    public static TermBag Merge(IReadOnlyList<TermBag> parts)
    {
        var sums = new Dictionary<int, float>();
        float length = 0;
        foreach (var part in parts)
        {
            length += part.Length;
            for (var i = 0; i < part.Terms.Length; i++)
            {
                sums[part.Terms[i]] = sums.GetValueOrDefault(part.Terms[i]) + part.Counts[i];
            }
        }

        var terms = sums.Keys.ToArray();
        Array.Sort(terms);
        var counts = new float[terms.Length];
        for (var i = 0; i < terms.Length; i++)
        {
            counts[i] = sums[terms[i]];
        }

        return new TermBag(UnitRole.Whole, terms, counts, length);
    }

    private TermCounter Begin(bool addTerms)
    {
        var counter = t_counter ??= new TermCounter();
        counter.Start(vocabulary, addTerms);
        return counter;
    }

    private sealed class TermCounter : ITokenSink
    {
        private readonly Dictionary<int, float> _counts = [];
        private readonly Dictionary<string, int> _unknown = new(StringComparer.Ordinal);
        private Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _unknownLookup;
        private Vocabulary _vocabulary = null!;
        private bool _addTerms;
        private float _weight;
        private float _length;

        public TermCounter() => _unknownLookup = _unknown.GetAlternateLookup<ReadOnlySpan<char>>();

        public void Start(Vocabulary vocabulary, bool addTerms)
        {
            _vocabulary = vocabulary;
            _addTerms = addTerms;
            _unknown.Clear();
            Reset();
        }

        public void Reset()
        {
            _counts.Clear();
            _length = 0;
        }

        public void AddText(string? text, float weight)
        {
            if (weight <= 0 || string.IsNullOrEmpty(text))
            {
                return;
            }

            _weight = weight;
            Tokenizer.TokenizeNormalized(TextNormalizer.Normalize(text), this);
        }

        public void AddTags(IReadOnlyList<string> tags, float weight)
        {
            if (weight <= 0)
            {
                return;
            }

            _weight = weight;
            Span<char> buffer = stackalloc char[96];
            foreach (var tag in tags)
            {
                var slug = tag.AsSpan().Trim();
                if (slug.IsEmpty || slug.Length + 1 > buffer.Length)
                {
                    continue;
                }

                buffer[0] = TagPrefix[0];
                var length = 1 + slug.ToLowerInvariant(buffer[1..]);
                Add(buffer[..length]);
            }
        }

        public void Add(ReadOnlySpan<char> token)
        {
            int id;
            if (_addTerms)
            {
                id = _vocabulary.GetOrAdd(token);
            }
            else
            {
                id = _vocabulary.Find(token);
                if (id < 0 && !_unknownLookup.TryGetValue(token, out id))
                {
                    id = -1 - _unknown.Count;
                    _unknown[token.ToString()] = id;
                }
            }

            _counts[id] = _counts.GetValueOrDefault(id) + _weight;
            _length += _weight;
        }

        public TermBag ToBag(UnitRole role, string? title = null)
        {
            var terms = new int[_counts.Count];
            var counts = new float[_counts.Count];
            var i = 0;
            foreach (var (term, count) in _counts)
            {
                terms[i] = term;
                counts[i++] = count;
            }

            Array.Sort(terms, counts);
            return new TermBag(role, terms, counts, _length, title);
        }
    }
}
