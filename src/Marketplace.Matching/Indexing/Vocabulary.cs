using System.Collections.Concurrent;
using System.Numerics;
using Marketplace.Matching.Text;

namespace Marketplace.Matching.Indexing;

/// <summary>
/// Maps terms to dense integer ids. Ids are never reused or renumbered, so vectors stored in the
/// index stay valid while new documents add terms. Lookups are lock-free; additions take a lock.
/// <para>
/// CJK unigrams and bigrams, the bulk of the terms of Chinese text, are keyed by their one or two
/// UTF-16 code units packed into an integer and kept in a flat open-addressing table: one cache miss
/// per lookup instead of the three (bucket, node, key string) of a string dictionary.
/// </para>
/// </summary>
public sealed class Vocabulary
{
    private readonly ConcurrentDictionary<string, int> _ids = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly Lock _gate = new();
    private string[] _terms = new string[1024];
    private int _count;

    // Slot = (key << 32) | id; 0 is empty (keys are never 0: CJK code units are far above U+0000).
    private long[] _cjkSlots = new long[1 << 16];
    private int _cjkCount;

    public Vocabulary() => _lookup = _ids.GetAlternateLookup<ReadOnlySpan<char>>();

    public int Count => Volatile.Read(ref _count);

    public string this[int id] => Volatile.Read(ref _terms)[id];

    /// <summary>The id of <paramref name="term"/>, or -1 when it has never been indexed.</summary>
    public int Find(ReadOnlySpan<char> term) =>
        CjkKey(term) is var key and not 0 ? FindCjk(Volatile.Read(ref _cjkSlots), key) : _lookup.TryGetValue(term, out var id) ? id : -1;

    public int GetOrAdd(ReadOnlySpan<char> term)
    {
        var key = CjkKey(term);
        var id = key != 0 ? FindCjk(Volatile.Read(ref _cjkSlots), key) : _lookup.TryGetValue(term, out var found) ? found : -1;
        if (id >= 0)
        {
            return id;
        }

        lock (_gate)
        {
            id = key != 0 ? FindCjk(_cjkSlots, key) : _lookup.TryGetValue(term, out found) ? found : -1;
            if (id >= 0)
            {
                return id;
            }

            var text = term.ToString();
            id = _count;
            if (id == _terms.Length)
            {
                var grown = new string[_terms.Length * 2];
                Array.Copy(_terms, grown, _terms.Length);
                Volatile.Write(ref _terms, grown);
            }

            _terms[id] = text;
            Volatile.Write(ref _count, id + 1);
            if (key != 0)
            {
                AddCjk(key, id);
            }
            else
            {
                _ids[text] = id;
            }

            return id;
        }
    }

    /// <summary>A one- or two-character CJK term packed into an integer, or 0 for any other term.</summary>
    private static uint CjkKey(ReadOnlySpan<char> term) => term.Length switch
    {
        1 when Tokenizer.IsCjk(term[0]) => term[0],
        2 when Tokenizer.IsCjk(term[0]) && Tokenizer.IsCjk(term[1]) => ((uint)term[0] << 16) | term[1],
        _ => 0,
    };

    private static int Slot(uint key, int length) => (int)((key * 2654435769u) >> (32 - BitOperations.Log2((uint)length)));

    private static int FindCjk(long[] slots, uint key)
    {
        var mask = slots.Length - 1;
        for (var i = Slot(key, slots.Length); ; i = (i + 1) & mask)
        {
            var slot = Volatile.Read(ref slots[i]);
            if (slot == 0)
            {
                return -1;
            }

            if ((uint)(slot >>> 32) == key)
            {
                return (int)slot;
            }
        }
    }

    private void AddCjk(uint key, int id)
    {
        if ((_cjkCount + 1) * 2 > _cjkSlots.Length)
        {
            // Build the bigger table completely before publishing it: readers see the old or the new one, never a half.
            var grown = new long[_cjkSlots.Length * 2];
            foreach (var slot in _cjkSlots)
            {
                if (slot != 0)
                {
                    Insert(grown, slot);
                }
            }

            Volatile.Write(ref _cjkSlots, grown);
        }

        Insert(_cjkSlots, ((long)key << 32) | (uint)id);
        _cjkCount++;
    }

    private static void Insert(long[] slots, long entry)
    {
        var mask = slots.Length - 1;
        var i = Slot((uint)(entry >>> 32), slots.Length);
        while (slots[i] != 0)
        {
            i = (i + 1) & mask;
        }

        Volatile.Write(ref slots[i], entry);
    }
}
