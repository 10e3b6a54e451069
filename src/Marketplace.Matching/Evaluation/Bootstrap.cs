namespace Marketplace.Matching.Evaluation;

/// <summary>A mean with its 95 % confidence interval.</summary>
public readonly record struct Interval(double Mean, double Low, double High)
{
    public override string ToString() => FormattableString.Invariant($"{Mean:F3} [{Low:F3}, {High:F3}]");
}

/// <summary>
/// Percentile bootstrap over queries: resample the per-query values with replacement, take each resample's mean,
/// and read the 2.5th and 97.5th percentiles (nearest rank). Seeded, so a report is reproducible.
/// </summary>
public static class Bootstrap
{
    public static Interval MeanInterval(IReadOnlyList<double> values, int resamples = 1000, int seed = 42)
    {
        if (values.Count == 0)
        {
            return new Interval(0, 0, 0);
        }

        var random = new Random(seed);
        var means = new double[resamples];
        for (var r = 0; r < resamples; r++)
        {
            var sum = 0.0;
            for (var i = 0; i < values.Count; i++)
            {
                sum += values[random.Next(values.Count)];
            }

            means[r] = sum / values.Count;
        }

        Array.Sort(means);
        return new Interval(values.Average(), Percentile(means, 0.025), Percentile(means, 0.975));
    }

    /// <summary>Nearest-rank percentile of sorted values.</summary>
    public static double Percentile(double[] sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
}
