using System.Text;

namespace Marketplace.Matching.Text;

/// <summary>
/// Brings text to one canonical form before tokenising: Unicode NFKC (which also folds full-width
/// Latin letters, digits and punctuation to their half-width forms), lower case, and one space for
/// every run of white space. Punctuation is kept here; the tokenizer treats it as a separator.
/// </summary>
public static class TextNormalizer
{
    public static string Normalize(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        // Text made only of ASCII, CJK unified ideographs (NFKC-stable), CJK punctuation and
        // full-width ASCII forms (whose NFKC image is a fixed offset) is folded here directly: ICU's
        // NFKC costs ~50 ns a character and would dominate indexing Chinese text. Anything else
        // (compatibility ideographs, ligatures, circled digits, half-width katakana…) goes through NFKC.
        var folded = NeedsFullNormalization(text) ? text.Normalize(NormalizationForm.FormKC) : text;
        return string.Create(folded.Length, folded, static (span, source) => Fold(source, span));
    }

    /// <summary>
    /// The same as <see cref="Normalize(string?)"/>, written into <paramref name="buffer"/> (grown when
    /// too small) instead of a new string: one pass that folds as it checks, for the indexing hot path.
    /// </summary>
    public static ReadOnlySpan<char> Normalize(string? text, ref char[] buffer)
    {
        if (string.IsNullOrEmpty(text))
        {
            return [];
        }

        if (buffer.Length < text.Length)
        {
            buffer = new char[Math.Max(text.Length, buffer.Length * 2)];
        }

        var span = buffer.AsSpan(0, text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c < '\u0080')
            {
                span[i] = c is >= 'A' and <= 'Z' ? (char)(c + 32) : c is '\t' or '\n' or '\r' or '\f' or '\v' ? ' ' : c;
            }
            else if (c is >= '\u4E00' and <= '\u9FFF')
            {
                span[i] = c;
            }
            else if (IsFoldedDirectly(c))
            {
                span[i] = FoldOne(c);
            }
            else
            {
                var normalized = text.Normalize(NormalizationForm.FormKC);
                if (buffer.Length < normalized.Length)
                {
                    buffer = new char[normalized.Length];
                }

                span = buffer.AsSpan(0, normalized.Length);
                Fold(normalized, span);
                return span;
            }
        }

        return span;
    }

    private static void Fold(ReadOnlySpan<char> source, Span<char> span)
    {
        for (var i = 0; i < source.Length; i++)
        {
            span[i] = FoldOne(source[i]);
        }
    }

    private static char FoldOne(char c) => c switch
    {
        < '\u0080' => c is >= 'A' and <= 'Z' ? (char)(c + 32) : c is '\t' or '\n' or '\r' or '\f' or '\v' ? ' ' : c,
        >= '\u4E00' and <= '\u9FFF' => c,
        >= '\uFF01' and <= '\uFF5E' => char.ToLowerInvariant((char)(c - 0xFEE0)),
        '\u3000' => ' ',
        _ when char.IsWhiteSpace(c) => ' ',
        _ => char.ToLowerInvariant(c),
    };

    private static bool IsFoldedDirectly(char c) =>
        c < '\u0080' || c is (>= '\u4E00' and <= '\u9FFF') or (>= '\u3001' and <= '\u303F') or (>= '\uFF01' and <= '\uFF5E')
        || c is '\u3000' or '\u2018' or '\u2019' or '\u201C' or '\u201D' or '\u2013' or '\u2014' or '\u00B7' or '\u00D7' or '\u00B1' or '\u00B0' or '\u2264' or '\u2265';

    private static bool NeedsFullNormalization(string text)
    {
        foreach (var c in text)
        {
            if (!IsFoldedDirectly(c))
            {
                return true;
            }
        }

        return false;
    }
}
