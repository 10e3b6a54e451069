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
        return string.Create(folded.Length, folded, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                var c = source[i];
                span[i] = c switch
                {
                    < '\u0080' => c is >= 'A' and <= 'Z' ? (char)(c + 32) : c is '\t' or '\n' or '\r' or '\f' or '\v' ? ' ' : c,
                    >= '\u4E00' and <= '\u9FFF' => c,
                    >= '\uFF01' and <= '\uFF5E' => char.ToLowerInvariant((char)(c - 0xFEE0)),
                    '\u3000' => ' ',
                    _ when char.IsWhiteSpace(c) => ' ',
                    _ => char.ToLowerInvariant(c),
                };
            }
        });
    }

    private static bool NeedsFullNormalization(string text)
    {
        foreach (var c in text)
        {
            if (c < '\u0080' || c is (>= '\u4E00' and <= '\u9FFF') or (>= '\u3001' and <= '\u303F') or (>= '\uFF01' and <= '\uFF5E')
                || c is '\u3000' or '\u2018' or '\u2019' or '\u201C' or '\u201D' or '\u2013' or '\u2014' or '\u00B7' or '\u00D7' or '\u00B1' or '\u00B0' or '\u2264' or '\u2265')
            {
                continue;
            }

            return true;
        }

        return false;
    }
}
