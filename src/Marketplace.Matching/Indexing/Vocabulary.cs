using System.Collections.Concurrent;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using Marketplace.Matching.Text;

namespace Marketplace.Matching.Indexing;

/// <summary>
/// Maps terms to dense integer ids. Ids are never reused or renumbered, so vectors stored in the
/// index stay valid while new documents add terms. Lookups are lock-free; additions take a lock.
/// <para>
/// CJK unigrams and bigrams, the bulk of the terms of Chinese text, are keyed by their one or two
/// UTF-16 code units packed into an integer: unigrams index a 65,536-slot array directly, bigrams a
/// flat open-addressing table (one cache miss per lookup instead of the three — bucket, node, key
/// string — of a string dictionary, and prefetched a text at a time, see <see cref="Prefetch"/>). They are
/// also stored by that key alone, never as strings (a string is made only when one is asked for, by
/// an explanation): 4 bytes per term instead of ~40 for millions of CJK terms.
/// </para>
/// </summary>
public sealed class Vocabulary
{
    private readonly ConcurrentDictionary<string, int> _ids = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly Lock _gate = new();
    // Per id: a CJK key (the code unit of a unigram, below 0x10000, or two packed code units, at
    // least 0x30403040), or StringBase + the index in _strings of any other term.
    private const uint StringBase = 0x10000;
    private const uint StringLimit = 0x30400000;
    private uint[] _entries = new uint[1024];
    private string[] _strings = new string[256];
    private int _stringCount;
    private int _count;

    // Slot = (key << 32) | id; 0 is empty (keys are never 0: CJK code units are far above U+0000).
    private long[] _cjkSlots = new long[1 << 16];
    private int _cjkCount;

    // CJK unigrams (at most 65,536 of them) are looked up directly by code unit: -1 = not yet a term.
    private readonly int[] _unigrams = CreateUnigrams();

    public Vocabulary() => _lookup = _ids.GetAlternateLookup<ReadOnlySpan<char>>();

    public int Count => Volatile.Read(ref _count);

    public string this[int id]
    {
        get
        {
            var entry = Volatile.Read(ref _entries)[id];
            return entry switch
            {
                < StringBase => ((char)entry).ToString(),
                < StringLimit => Volatile.Read(ref _strings)[entry - StringBase],
                _ => string.Create(2, entry, static (span, key) =>
                {
                    span[0] = (char)(key >> 16);
                    span[1] = (char)key;
                }),
            };
        }
    }

    /// <summary>Whether term <paramref name="id"/> starts with <paramref name="prefix"/> (no string is made for CJK terms).</summary>
    public bool StartsWith(int id, char prefix)
    {
        var entry = Volatile.Read(ref _entries)[id];
        return entry switch
        {
            < StringBase => (char)entry == prefix,
            < StringLimit => Volatile.Read(ref _strings)[entry - StringBase] is [var first, ..] && first == prefix,
            _ => (char)(entry >> 16) == prefix,
        };
    }

    /// <summary>The id of <paramref name="term"/>, or -1 when it has never been indexed.</summary>
    public int Find(ReadOnlySpan<char> term) =>
        CjkKey(term) is var key and not 0 ? FindCjk(key) : _lookup.TryGetValue(term, out var id) ? id : -1;

    public int GetOrAdd(ReadOnlySpan<char> term)
    {
        var key = CjkKey(term);
        var id = key != 0 ? FindCjk(key) : _lookup.TryGetValue(term, out var found) ? found : -1;
        if (id >= 0)
        {
            return id;
        }

        lock (_gate)
        {
            id = key != 0 ? FindCjk(key) : _lookup.TryGetValue(term, out found) ? found : -1;
            if (id >= 0)
            {
                return id;
            }

            id = _count;
            if (id == _entries.Length)
            {
                var grown = new uint[_entries.Length * 2];
                Array.Copy(_entries, grown, _entries.Length);
                Volatile.Write(ref _entries, grown);
            }

            if (key != 0)
            {
                _entries[id] = key;
                Volatile.Write(ref _count, id + 1);
                if (key <= char.MaxValue)
                {
                    Volatile.Write(ref _unigrams[key], id);
                }
                else
                {
                    AddCjk(key, id);
                }

                return id;
            }

            var text = term.ToString();
            if (_stringCount == _strings.Length)
            {
                var grown = new string[_strings.Length * 2];
                Array.Copy(_strings, grown, _strings.Length);
                Volatile.Write(ref _strings, grown);
            }

            if (_stringCount >= StringLimit - StringBase)
            {
                throw new InvalidOperationException("The vocabulary holds its maximum of ~800 million non-CJK terms.");
            }

            _strings[_stringCount] = text;
            _entries[id] = StringBase + (uint)_stringCount;
            _stringCount++;
            Volatile.Write(ref _count, id + 1);
            _ids[text] = id;
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

    /// <summary>
    /// Asks the processor to fetch the table slots of the CJK bigrams of <paramref name="text"/> ahead
    /// of their lookups. The bigram table of a large index is tens of megabytes, so nearly every
    /// lookup of a rare bigram misses the caches; issuing those misses together instead of one after
    /// the other is most of the speed of analysing Chinese text. A hint only: it changes no result.
    /// </summary>
    public unsafe void Prefetch(ReadOnlySpan<char> text)
    {
        if (!Sse.IsSupported || text.Length < 2)
        {
            return;
        }

        var slots = Volatile.Read(ref _cjkSlots);
        var shift = 32 - BitOperations.Log2((uint)slots.Length);
        ref var first = ref MemoryMarshal.GetArrayDataReference(slots);
        for (var i = 0; i + 1 < text.Length; i++)
        {
            if (text[i] >= '\u3040' && text[i + 1] >= '\u3040')
            {
                var key = ((uint)text[i] << 16) | text[i + 1];
                Sse.Prefetch1(Unsafe.AsPointer(ref Unsafe.Add(ref first, (int)((key * 2654435769u) >> shift))));
            }
        }
    }

    private static int[] CreateUnigrams()
    {
        var unigrams = new int[char.MaxValue + 1];
        Array.Fill(unigrams, -1);
        return unigrams;
    }

    private int FindCjk(uint key) => key <= char.MaxValue ? Volatile.Read(ref _unigrams[key]) : FindCjk(Volatile.Read(ref _cjkSlots), key);

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
