namespace Marketplace.Matching.Text;

/// <summary>
/// A deliberately light English stemmer (plural, -ed, -ing, final -e) so that "inspects",
/// "inspected" and "inspecting" meet, without Porter's aggressive conflations ("general" → "gener").
/// </summary>
public static class LightStemmer
{
    /// <summary>Writes the stem of <paramref name="word"/> (lower case) into <paramref name="buffer"/> and returns its length.</summary>
    public static int Stem(ReadOnlySpan<char> word, Span<char> buffer)
    {
        word.CopyTo(buffer);
        var length = word.Length;
        if (length <= 3)
        {
            return length;
        }

        // Plurals.
        if (EndsWith(buffer, length, "ies") && length > 4)
        {
            length -= 3;
            buffer[length++] = 'y';
        }
        else if (EndsWith(buffer, length, "sses") || EndsWith(buffer, length, "xes") || EndsWith(buffer, length, "ches")
                 || EndsWith(buffer, length, "shes") || EndsWith(buffer, length, "zes"))
        {
            length -= 2;
        }
        else if (buffer[length - 1] == 's' && !EndsWith(buffer, length, "ss") && !EndsWith(buffer, length, "us")
                 && !EndsWith(buffer, length, "is"))
        {
            length -= 1;
        }

        // Verb endings, only when a real stem (four letters with a vowel) remains.
        if (EndsWith(buffer, length, "ing") && HasVowel(buffer[..(length - 3)]) && length - 3 >= 4)
        {
            length -= 3;
            length = UndoubleConsonant(buffer, length);
        }
        else if (EndsWith(buffer, length, "ed") && HasVowel(buffer[..(length - 2)]) && length - 2 >= 4)
        {
            length -= 2;
            length = UndoubleConsonant(buffer, length);
        }

        // Final e, so that "optimize", "optimized" and "optimizing" share "optimiz".
        if (length >= 5 && buffer[length - 1] == 'e')
        {
            length -= 1;
        }

        return length;
    }

    public static string Stem(string word)
    {
        Span<char> buffer = stackalloc char[word.Length];
        var length = Stem(word, buffer);
        return new string(buffer[..length]);
    }

    private static int UndoubleConsonant(Span<char> buffer, int length)
    {
        if (length >= 2 && buffer[length - 1] == buffer[length - 2] && buffer[length - 1] is not ('l' or 's' or 'z' or 'e' or 'o'))
        {
            return length - 1;
        }

        return length;
    }

    private static bool EndsWith(Span<char> buffer, int length, string suffix) =>
        length >= suffix.Length && buffer[(length - suffix.Length)..length].SequenceEqual(suffix);

    private static readonly System.Buffers.SearchValues<char> Vowels = System.Buffers.SearchValues.Create("aeiouy");

    private static bool HasVowel(ReadOnlySpan<char> stem) => stem.IndexOfAny(Vowels) >= 0;
}
