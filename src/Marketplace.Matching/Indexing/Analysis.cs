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
/// <para>
/// Stored compactly, as an index of 100,000 documents holds ~90 million (term, count) pairs: ids are
/// kept as variable-length gaps (~2 bytes instead of 4; plain ints when an id is negative), and counts
/// in one byte each when every count of the bag is a multiple of ½ up to 127.5 (always so with the
/// default field weights 2, 1, ½, 1 for any but freak texts), else as floats. Both encodings are
/// exact: <see cref="GetTerms"/> and <see cref="CountAt"/> return exactly what was stored.
/// </para>
/// </summary>
public sealed class TermBag
{
    private readonly int[]? _terms;
    private readonly byte[]? _gaps;
    private readonly byte[]? _doubledCounts;
    private readonly float[]? _counts;

    public TermBag(UnitRole role, int[] terms, float[] counts, float length, string? title = null)
    {
        if (counts.Length != terms.Length)
        {
            throw new ArgumentException("One count per term is required.", nameof(counts));
        }

        for (var i = 1; i < terms.Length; i++)
        {
            if (terms[i] <= terms[i - 1])
            {
                throw new ArgumentException("Term ids must be strictly ascending.", nameof(terms));
            }
        }

        Role = role;
        Count = terms.Length;
        Length = length;
        Title = title;
        _gaps = terms.Length > 0 && terms[0] >= 0 ? EncodeGaps(terms) : null;
        _terms = _gaps is null ? terms : null;
        _doubledCounts = TryHalfSteps(counts);
        _counts = _doubledCounts is null ? counts : null;
    }

    private TermBag(UnitRole role, int count, int[]? terms, byte[]? gaps, byte[]? doubledCounts, float[]? counts, float length, string? title)
    {
        Role = role;
        Count = count;
        _terms = terms;
        _gaps = gaps;
        _doubledCounts = doubledCounts;
        _counts = counts;
        Length = length;
        Title = title;
    }

    public UnitRole Role { get; }

    /// <summary>Number of distinct terms.</summary>
    public int Count { get; }

    public float Length { get; }

    public string? Title { get; }

    /// <summary>The ascending term ids as a new array (or the stored one): call once and keep it.</summary>
    public int[] GetTerms()
    {
        if (_terms is not null)
        {
            return _terms;
        }

        var terms = new int[Count];
        DecodeGaps(_gaps!, terms);
        return terms;
    }

    /// <summary>The ascending term ids, written into the first <see cref="Count"/> slots of <paramref name="buffer"/> (grown when too small).</summary>
    public ReadOnlySpan<int> GetTerms(ref int[] buffer)
    {
        if (buffer.Length < Count)
        {
            buffer = new int[Math.Max(Count, buffer.Length * 2)];
        }

        var terms = buffer.AsSpan(0, Count);
        if (_terms is not null)
        {
            _terms.CopyTo(terms);
        }
        else
        {
            DecodeGaps(_gaps!, terms);
        }

        return terms;
    }

    /// <summary>The field-weighted count of the i-th term.</summary>
    public float CountAt(int i) => _doubledCounts is { } doubled ? doubled[i] * 0.5f : _counts![i];

    /// <summary>From (term, count) pairs sorted by term, packed as term &lt;&lt; 32 | float bits.</summary>
    internal static TermBag FromSorted(UnitRole role, ReadOnlySpan<long> packed, float length, string? title)
    {
        var doubled = new byte[packed.Length];
        var compact = true;
        var gapBytes = 0;
        var previous = 0;
        for (var i = 0; i < packed.Length; i++)
        {
            var term = (int)(packed[i] >> 32);
            gapBytes += term < 0 ? 0 : VarintLength((uint)(term - previous));
            previous = term;
            var twice = BitConverter.Int32BitsToSingle((int)packed[i]) * 2;
            if (compact && twice is >= 1 and <= 255 && twice == MathF.Floor(twice))
            {
                doubled[i] = (byte)twice;
            }
            else
            {
                compact = false;
            }
        }

        int[]? terms = null;
        byte[]? gaps = null;
        // Sorted, so an unknown (negative) id comes first: such query bags keep plain ids.
        if (packed.Length == 0 || packed[0] >= 0)
        {
            gaps = new byte[gapBytes];
            var at = 0;
            previous = 0;
            for (var i = 0; i < packed.Length; i++)
            {
                var term = (int)(packed[i] >> 32);
                at = WriteVarint(gaps, at, (uint)(term - previous));
                previous = term;
            }
        }
        else
        {
            terms = new int[packed.Length];
            for (var i = 0; i < packed.Length; i++)
            {
                terms[i] = (int)(packed[i] >> 32);
            }
        }

        float[]? counts = null;
        if (!compact)
        {
            doubled = null;
            counts = new float[packed.Length];
            for (var i = 0; i < packed.Length; i++)
            {
                counts[i] = BitConverter.Int32BitsToSingle((int)packed[i]);
            }
        }

        return new TermBag(role, packed.Length, terms, gaps, doubled, counts, length, title);
    }

    private static byte[] EncodeGaps(int[] terms)
    {
        var length = 0;
        var previous = 0;
        foreach (var term in terms)
        {
            length += VarintLength((uint)(term - previous));
            previous = term;
        }

        var gaps = new byte[length];
        var at = 0;
        previous = 0;
        foreach (var term in terms)
        {
            at = WriteVarint(gaps, at, (uint)(term - previous));
            previous = term;
        }

        return gaps;
    }

    private static int VarintLength(uint value) => value < 1u << 7 ? 1 : value < 1u << 14 ? 2 : value < 1u << 21 ? 3 : value < 1u << 28 ? 4 : 5;

    private static int WriteVarint(byte[] target, int at, uint value)
    {
        while (value >= 0x80)
        {
            target[at++] = (byte)(value | 0x80);
            value >>= 7;
        }

        target[at++] = (byte)value;
        return at;
    }

    private static void DecodeGaps(byte[] gaps, Span<int> terms)
    {
        var at = 0;
        var previous = 0;
        for (var i = 0; i < terms.Length; i++)
        {
            uint value = gaps[at++];
            if (value >= 0x80)
            {
                value &= 0x7F;
                var shift = 7;
                uint next;
                do
                {
                    next = gaps[at++];
                    value |= (next & 0x7F) << shift;
                    shift += 7;
                }
                while (next >= 0x80);
            }

            previous += (int)value;
            terms[i] = previous;
        }
    }

    private static byte[]? TryHalfSteps(float[] counts)
    {
        var doubled = new byte[counts.Length];
        for (var i = 0; i < counts.Length; i++)
        {
            var twice = counts[i] * 2;
            if (twice is not (>= 1 and <= 255) || twice != MathF.Floor(twice))
            {
                return null;
            }

            doubled[i] = (byte)twice;
        }

        return doubled;
    }
}

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
            var partTerms = part.GetTerms();
            for (var i = 0; i < partTerms.Length; i++)
            {
                sums[partTerms[i]] = sums.GetValueOrDefault(partTerms[i]) + part.CountAt(i);
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

    /// <summary>Passes tokens to the counter through a struct, so the tokenizer is specialised for it and the call inlined.</summary>
    private readonly struct CounterSink(TermCounter counter) : ITokenSink
    {
        public void Add(ReadOnlySpan<char> token) => counter.Add(token);
    }

    /// <summary>
    /// Counts the terms of one unit: term id → count in a small open-addressing table reused for
    /// every unit of the thread (no per-token allocation, no boxed dictionary), then sorted as packed
    /// (term, count) longs. Text is normalised into a reused buffer rather than a new string.
    /// </summary>
    private sealed class TermCounter
    {
        private const int Empty = int.MinValue;

        private readonly Dictionary<string, int> _unknown = new(StringComparer.Ordinal);
        private Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _unknownLookup;
        private Vocabulary _vocabulary = null!;
        private bool _addTerms;
        private float _weight;
        private float _length;
        private int[] _keys = NewKeys(4096);
        private int _shift = 32 - 12;
        private float[] _values = new float[4096];
        private int[] _used = new int[2048];
        private int _usedCount;
        private long[] _sorted = new long[2048];
        private long[] _radix = new long[2048];
        private readonly int[] _histogram = new int[1 << 11];
        private char[] _text = new char[4096];

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
            for (var i = 0; i < _usedCount; i++)
            {
                _keys[_used[i]] = Empty;
            }

            _usedCount = 0;
            _length = 0;
        }

        public void AddText(string? text, float weight)
        {
            if (weight <= 0 || string.IsNullOrEmpty(text))
            {
                return;
            }

            _weight = weight;
            var normalized = TextNormalizer.Normalize(text, ref _text);
            _vocabulary.Prefetch(normalized);
            Tokenizer.TokenizeNormalized(normalized, new CounterSink(this));
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

            Count(id);
            _length += _weight;
        }

        private void Count(int id)
        {
            var keys = _keys;
            var mask = keys.Length - 1;
            var slot = (int)(((uint)id * 2654435769u) >> _shift);
            while (true)
            {
                var key = keys[slot];
                if (key == id)
                {
                    _values[slot] += _weight;
                    return;
                }

                if (key == Empty)
                {
                    break;
                }

                slot = (slot + 1) & mask;
            }

            keys[slot] = id;
            _values[slot] = _weight;
            if (_usedCount == _used.Length)
            {
                Array.Resize(ref _used, _used.Length * 2);
            }

            _used[_usedCount++] = slot;
            if (_usedCount * 2 > keys.Length)
            {
                Grow();
            }
        }

        private void Grow()
        {
            var oldKeys = _keys;
            var oldValues = _values;
            _keys = NewKeys(oldKeys.Length * 2);
            _shift--;
            _values = new float[oldKeys.Length * 2];
            var mask = _keys.Length - 1;
            for (var i = 0; i < _usedCount; i++)
            {
                var id = oldKeys[_used[i]];
                var value = oldValues[_used[i]];
                var slot = (int)(((uint)id * 2654435769u) >> _shift);
                while (_keys[slot] != Empty)
                {
                    slot = (slot + 1) & mask;
                }

                _keys[slot] = id;
                _values[slot] = value;
                _used[i] = slot;
            }
        }

        private static int[] NewKeys(int length)
        {
            var keys = new int[length];
            Array.Fill(keys, Empty);
            return keys;
        }

        public TermBag ToBag(UnitRole role, string? title = null)
        {
            if (_sorted.Length < _usedCount)
            {
                _sorted = new long[_usedCount * 2];
            }

            var packed = _sorted.AsSpan(0, _usedCount);
            var largest = 0;
            var smallest = 0;
            for (var i = 0; i < packed.Length; i++)
            {
                var slot = _used[i];
                var term = _keys[slot];
                largest = Math.Max(largest, term);
                smallest = Math.Min(smallest, term);
                packed[i] = ((long)term << 32) | (uint)BitConverter.SingleToInt32Bits(_values[slot]);
            }

            if (smallest < 0 || packed.Length < 128)
            {
                packed.Sort();
            }
            else
            {
                packed = RadixSort(packed, largest);
            }

            return TermBag.FromSorted(role, packed, _length, title);
        }

        /// <summary>
        /// Least-significant-digit radix sort by term id (the high 32 bits; ids here are ≥ 0), 11 bits a
        /// pass: two passes for up to 4 million terms, several times faster than a comparison sort of a
        /// document's thousand-odd terms. Returns the span holding the result (one of the two buffers).
        /// </summary>
        private Span<long> RadixSort(Span<long> items, int largest)
        {
            const int Bits = 11;
            const int Mask = (1 << Bits) - 1;
            if (_radix.Length < items.Length)
            {
                _radix = new long[_sorted.Length];
            }

            var source = items;
            var target = _radix.AsSpan(0, items.Length);
            var histogram = _histogram;
            for (var shift = 32; shift < 64 && (largest >> (shift - 32)) > 0; shift += Bits)
            {
                Array.Clear(histogram);
                foreach (var item in source)
                {
                    histogram[(int)(item >> shift) & Mask]++;
                }

                var total = 0;
                for (var d = 0; d < histogram.Length; d++)
                {
                    var count = histogram[d];
                    histogram[d] = total;
                    total += count;
                }

                foreach (var item in source)
                {
                    target[histogram[(int)(item >> shift) & Mask]++] = item;
                }

                var swap = source;
                source = target;
                target = swap;
            }

            return source;
        }
    }
}
