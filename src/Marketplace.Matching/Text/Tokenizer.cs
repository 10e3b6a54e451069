using System.Collections.Frozen;

namespace Marketplace.Matching.Text;

/// <summary>Receives tokens from <see cref="Tokenizer"/> without allocating a string per token.</summary>
public interface ITokenSink
{
    void Add(ReadOnlySpan<char> token);
}

/// <summary>
/// Splits normalised text into matching terms:
/// Latin words (stop words removed, lightly stemmed); numbers, joined to a directly following unit
/// ("0.1 mm" → "0.1mm", "98 %" → "98%", "2,000" → "2000"); and for Chinese, Japanese and Korean
/// runs overlapping character unigrams and bigrams, so that "缺陷检测" yields 缺 陷 检 测 缺陷 陷检 检测
/// and still matches "检测缺陷". Mixed zh/en text needs no language switch: each run is handled by its script.
/// </summary>
public static class Tokenizer
{
    /// <summary>Units that turn a bare number into a measurement term.</summary>
    public static FrozenSet<string> Units { get; } = new[]
    {
        "%", "mm", "cm", "m", "km", "um", "μm", "nm", "ms", "s", "min", "h", "hz", "khz", "mhz", "ghz", "w", "kw", "mw",
        "kwh", "mwh", "v", "kv", "ma", "a", "kg", "g", "t", "mg", "l", "ml", "m3", "m2", "°c", "px", "fps", "ppm", "mpa",
        "kpa", "bar", "db", "gb", "tb", "mb", "rpm", "x", "k", "nm", "dpi", "lux",
    }.ToFrozenSet(StringComparer.Ordinal);

    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> UnitLookup = Units.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>Normalises and tokenises <paramref name="text"/> into a list (for callers that want strings).</summary>
    public static List<string> Tokenize(string? text)
    {
        var sink = new ListSink();
        TokenizeNormalized(TextNormalizer.Normalize(text), sink);
        return sink.Tokens;
    }

    /// <summary>Tokenises text that has already been through <see cref="TextNormalizer.Normalize"/>.</summary>
    public static void TokenizeNormalized<TSink>(string text, TSink sink)
        where TSink : ITokenSink =>
        TokenizeNormalized(text.AsSpan(), sink);

    /// <summary>Tokenises normalised text held in a span (a reused buffer on the indexing path).</summary>
    public static void TokenizeNormalized<TSink>(ReadOnlySpan<char> text, TSink sink)
        where TSink : ITokenSink
    {
        Span<char> buffer = stackalloc char[128];
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (IsCjk(c))
            {
                var start = i;
                while (i < text.Length && IsCjk(text[i]))
                {
                    i++;
                }

                EmitCjkRun(text.Slice(start, i - start), sink);
            }
            else if (char.IsAsciiDigit(c))
            {
                i = EmitNumber(text, i, buffer, sink);
            }
            else if (char.IsLetter(c))
            {
                var start = i;
                while (i < text.Length && (char.IsLetterOrDigit(text[i]) && !IsCjk(text[i])))
                {
                    i++;
                }

                EmitWord(text.Slice(start, i - start), buffer, sink);
            }
            else
            {
                i++;
            }
        }
    }

    public static bool IsCjk(char c) =>
        c is (>= '\u4E00' and <= '\u9FFF') or (>= '\u3400' and <= '\u4DBF') or (>= '\uF900' and <= '\uFAFF')
            or (>= '\u3040' and <= '\u30FF') or (>= '\uAC00' and <= '\uD7AF');

    private static void EmitCjkRun<TSink>(ReadOnlySpan<char> run, TSink sink)
        where TSink : ITokenSink
    {
        for (var i = 0; i < run.Length; i++)
        {
            var stop = StopWords.IsChineseStopCharacter(run[i]);
            if (!stop)
            {
                sink.Add(run.Slice(i, 1));
            }

            if (i + 1 < run.Length && !stop && !StopWords.IsChineseStopCharacter(run[i + 1]))
            {
                var bigram = run.Slice(i, 2);
                if (!StopWords.IsChineseStopBigram(bigram))
                {
                    sink.Add(bigram);
                }
            }
        }
    }

    private static void EmitWord<TSink>(ReadOnlySpan<char> word, Span<char> buffer, TSink sink)
        where TSink : ITokenSink
    {
        if (word.Length > buffer.Length || StopWords.IsEnglishStopWord(word))
        {
            return;
        }

        // Words that end in digits ("yolov8", "s7") are model names: keep them whole.
        if (char.IsAsciiDigit(word[^1]))
        {
            sink.Add(word);
            return;
        }

        var length = LightStemmer.Stem(word, buffer);
        if (length > 1 || word.Length == 1 && char.IsLetter(word[0]) && !char.IsAscii(word[0]))
        {
            sink.Add(buffer[..length]);
        }
    }

    private static int EmitNumber<TSink>(ReadOnlySpan<char> text, int i, Span<char> buffer, TSink sink)
        where TSink : ITokenSink
    {
        var length = 0;
        while (i < text.Length && length < 64)
        {
            var c = text[i];
            if (char.IsAsciiDigit(c))
            {
                buffer[length++] = c;
                i++;
            }
            else if (c == ',' && i + 3 < text.Length + 1 && IsThousandsGroup(text, i + 1))
            {
                i++; // thousands separator: "2,000" is 2000
            }
            else if (c == '.' && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1]))
            {
                buffer[length++] = c;
                i++;
            }
            else
            {
                break;
            }
        }

        // A unit directly after the number, or after one space ("5 mm"), becomes part of the term.
        var unitStart = i < text.Length && text[i] == ' ' ? i + 1 : i;
        var unitEnd = unitStart;
        while (unitEnd < text.Length && unitEnd - unitStart < 4
               && (char.IsAsciiLetterLower(text[unitEnd]) || text[unitEnd] is '%' or '°' or 'μ'
                   || (unitEnd > unitStart && char.IsAsciiDigit(text[unitEnd]) && text[unitEnd - 1] == 'm')))
        {
            unitEnd++;
        }

        var unitEndsWord = unitEnd >= text.Length || !char.IsAsciiLetterLower(text[unitEnd]);
        var unit = text.Slice(unitStart, unitEnd - unitStart);
        var spaced = unitStart > i;
        if (unit.Length > 0 && unitEndsWord && UnitLookup.Contains(unit) && (!spaced || unit.Length >= 2 || unit[0] == '%'))
        {
            unit.CopyTo(buffer[length..]);
            sink.Add(buffer[..(length + unit.Length)]);
            return unitEnd;
        }

        sink.Add(buffer[..length]);
        return i;
    }

    private static bool IsThousandsGroup(ReadOnlySpan<char> text, int start) =>
        start + 3 <= text.Length
        && char.IsAsciiDigit(text[start]) && char.IsAsciiDigit(text[start + 1]) && char.IsAsciiDigit(text[start + 2])
        && (start + 3 == text.Length || !char.IsAsciiDigit(text[start + 3]));

    private sealed class ListSink : ITokenSink
    {
        public List<string> Tokens { get; } = [];

        public void Add(ReadOnlySpan<char> token) => Tokens.Add(token.ToString());
    }
}
