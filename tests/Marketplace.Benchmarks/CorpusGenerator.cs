using System.Text;
using Marketplace.Matching;

namespace Marketplace.Benchmarks;

/// <summary>
/// A deterministic synthetic corpus of realistic length: half English (challenges ~400 words), half
/// Chinese (challenges ~800 characters); vendors with a profile and three portfolio cases. Words
/// follow a Zipf distribution over a fixed lexicon per language, so term statistics (a few very
/// common terms, a long tail) resemble real text. Document i is generated from seed i alone, so any
/// subset can be regenerated in any order.
/// </summary>
public sealed class CorpusGenerator
{
    private static readonly string[] Tags =
    [
        "computer-vision", "defect-detection", "surface-inspection", "ocr", "3d-vision", "measurement", "predictive-maintenance",
        "anomaly-detection", "vibration-analysis", "time-series", "soft-sensor", "process-optimization", "quality-prediction",
        "scheduling", "planning-optimization", "digital-twin", "simulation", "reinforcement-learning", "robotics", "robot-grasping",
        "agv", "edge-ai", "iot", "energy-optimization", "load-forecasting", "demand-forecasting", "supply-chain", "route-optimization",
        "warehouse", "nlp", "llm", "knowledge-graph", "speech", "spectroscopy", "hyperspectral", "remote-sensing", "crop-monitoring",
        "livestock", "medical-imaging", "regulatory-compliance", "safety-monitoring", "video-analytics", "data-platform", "federated-learning",
    ];

    private readonly string[] _english;
    private readonly string[] _chinese;
    private readonly double[] _englishCumulative;
    private readonly double[] _chineseCumulative;

    public CorpusGenerator(int englishWords = 30000, int chineseWords = 25000)
    {
        var random = new Random(12345);
        _english = [.. Enumerable.Range(0, englishWords).Select(_ => LatinWord(random))];
        // Chinese words of one to four characters from the 3,500 most common code points region.
        _chinese = [.. Enumerable.Range(0, chineseWords).Select(_ => ChineseWord(random))];
        _englishCumulative = Zipf(englishWords);
        _chineseCumulative = Zipf(chineseWords);
    }

    public ChallengeDocument Challenge(int seed)
    {
        var random = new Random(seed * 2 + 1);
        var chinese = seed % 2 == 1;
        return new ChallengeDocument($"ch-{seed}", Text(random, chinese, chinese ? 8 : 8), Text(random, chinese, chinese ? 780 : 390))
        {
            Tags = PickTags(random, 4),
            AcceptanceTargets = [Text(random, chinese, chinese ? 20 : 10)],
            Language = chinese ? "zh" : "en",
        };
    }

    public VendorDocument Vendor(int seed)
    {
        var random = new Random(seed * 2);
        var chinese = seed % 2 == 1;
        return new VendorDocument($"ven-{seed}", $"Vendor {seed}", Text(random, chinese, chinese ? 300 : 150))
        {
            Tags = PickTags(random, 4),
            Portfolio = [.. Enumerable.Range(0, 3).Select(_ => new PortfolioCase(Text(random, chinese, chinese ? 12 : 6), Text(random, chinese, chinese ? 260 : 130)))],
            Language = chinese ? "zh" : "en",
        };
    }

    /// <summary>English: about <paramref name="size"/> words; Chinese: about <paramref name="size"/> characters.</summary>
    private string Text(Random random, bool chinese, int size)
    {
        var builder = new StringBuilder(size * (chinese ? 1 : 7));
        while (builder.Length < (chinese ? size : size * 6.5))
        {
            if (chinese)
            {
                builder.Append(_chinese[Draw(random, _chineseCumulative)]);
                if (random.Next(12) == 0)
                {
                    builder.Append('，');
                }
            }
            else
            {
                builder.Append(_english[Draw(random, _englishCumulative)]).Append(random.Next(15) == 0 ? ". " : " ");
            }
        }

        return builder.ToString();
    }

    /// <summary>
    /// The first index whose cumulative probability is ≥ a uniform draw (the same index
    /// Array.BinarySearch gave, as the values are strictly increasing), without its comparer overhead:
    /// generation used to cost as much CPU as indexing the text.
    /// </summary>
    private static int Draw(Random random, double[] cumulative)
    {
        var x = random.NextDouble();
        int low = 0, high = cumulative.Length;
        while (low < high)
        {
            var middle = (low + high) >>> 1;
            if (cumulative[middle] < x)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return Math.Min(cumulative.Length - 1, low);
    }

    private static double[] Zipf(int count)
    {
        var cumulative = new double[count];
        var sum = 0.0;
        for (var i = 0; i < count; i++)
        {
            sum += 1.0 / (i + 1);
            cumulative[i] = sum;
        }

        for (var i = 0; i < count; i++)
        {
            cumulative[i] /= sum;
        }

        return cumulative;
    }

    private static string[] PickTags(Random random, int count) => [.. Enumerable.Range(0, count).Select(_ => Tags[random.Next(Tags.Length)]).Distinct()];

    private static string LatinWord(Random random)
    {
        var length = 3 + random.Next(8);
        return string.Create(length, random, static (span, r) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = i % 2 == 1 ? "aeiou"[r.Next(5)] : "bcdfghklmnprstvwz"[r.Next(17)];
            }
        });
    }

    private static string ChineseWord(Random random)
    {
        var length = random.Next(10) switch { 0 => 1, < 7 => 2, < 9 => 3, _ => 4 };
        return string.Create(length, random, static (span, r) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = (char)(0x4E00 + r.Next(3500));
            }
        });
    }
}
