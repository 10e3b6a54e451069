using JiebaNet.Segmenter;

namespace Marketplace.Matching.Text;

/// <summary>
/// Chinese word segmentation with jieba.NET (precise mode, HMM for unknown words). Its dictionaries are copied to
/// Resources/ beside the application by the Marketplace.Matching project (the package does not copy them itself);
/// loading them costs about a second once per process, on first use.
/// </summary>
public static class ChineseWords
{
    private static readonly Lazy<bool> Configured = new(() =>
    {
        var directory = Path.Combine(AppContext.BaseDirectory, "Resources");
        if (!File.Exists(Path.Combine(directory, "dict.txt")))
        {
            throw new InvalidOperationException($"jieba's dictionaries are not in {directory}; the build copies them from the jieba.NET package.");
        }

        ConfigManager.ConfigFileBaseDir = directory;
        return true;
    });

    // A segmenter keeps per-call state; the dictionaries behind it are shared and read-only.
    private static readonly ThreadLocal<JiebaSegmenter> Segmenter = new(() =>
    {
        _ = Configured.Value;
        return new JiebaSegmenter();
    });

    /// <summary>The words of a Chinese (or mixed) text, as jieba cuts them, white space dropped.</summary>
    public static IEnumerable<string> Segment(string text) =>
        Segmenter.Value!.Cut(text, cutAll: false, hmm: true).Where(w => !string.IsNullOrWhiteSpace(w));
}
