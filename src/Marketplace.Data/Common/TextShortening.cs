namespace Marketplace.Data;

/// <summary>Text helpers shared by the stores' list views.</summary>
internal static class TextShortening
{
    /// <summary>One line of at most <paramref name="length"/> characters, with an ellipsis when cut.</summary>
    public static string Shorten(string text, int length)
    {
        var flat = text.ReplaceLineEndings(" ").Trim();
        return flat.Length <= length ? flat : flat[..length].TrimEnd() + "…";
    }
}
