namespace Marketplace.Matching.Learning;

/// <summary>
/// L2-regularised logistic regression fitted by full-batch gradient descent on standardised
/// features. Small, deterministic and dependency-free: the re-ranker has five features and a few
/// thousand signals at most.
/// </summary>
public sealed class LogisticRegression
{
    private readonly double[] _mean;
    private readonly double[] _scale;

    private LogisticRegression(double[] weights, double bias, double[] mean, double[] scale)
    {
        Weights = weights;
        Bias = bias;
        _mean = mean;
        _scale = scale;
    }

    /// <summary>Weights on standardised features (so their sizes compare).</summary>
    public IReadOnlyList<double> Weights { get; }

    public double Bias { get; }

    public static LogisticRegression Fit(IReadOnlyList<double[]> features, IReadOnlyList<bool> labels, double l2 = 0.01, int iterations = 2000, double learningRate = 0.5)
    {
        if (features.Count == 0 || features.Count != labels.Count)
        {
            throw new ArgumentException("Need as many labels as feature rows, and at least one.", nameof(labels));
        }

        var dimensions = features[0].Length;
        var mean = new double[dimensions];
        var scale = new double[dimensions];
        for (var d = 0; d < dimensions; d++)
        {
            mean[d] = features.Average(x => x[d]);
            var variance = features.Average(x => (x[d] - mean[d]) * (x[d] - mean[d]));
            scale[d] = variance > 1e-12 ? Math.Sqrt(variance) : 1;
        }

        var rows = features.Select(x => x.Select((v, d) => (v - mean[d]) / scale[d]).ToArray()).ToArray();
        var weights = new double[dimensions];
        var bias = 0.0;
        var gradient = new double[dimensions];
        for (var iteration = 0; iteration < iterations; iteration++)
        {
            Array.Clear(gradient);
            var biasGradient = 0.0;
            for (var i = 0; i < rows.Length; i++)
            {
                var error = Sigmoid(Dot(weights, rows[i]) + bias) - (labels[i] ? 1 : 0);
                for (var d = 0; d < dimensions; d++)
                {
                    gradient[d] += error * rows[i][d];
                }

                biasGradient += error;
            }

            for (var d = 0; d < dimensions; d++)
            {
                weights[d] -= learningRate * ((gradient[d] / rows.Length) + (l2 * weights[d]));
            }

            bias -= learningRate * biasGradient / rows.Length;
        }

        return new LogisticRegression(weights, bias, mean, scale);
    }

    /// <summary>The probability that the pair is a positive decision.</summary>
    public double Predict(double[] features)
    {
        var z = Bias;
        for (var d = 0; d < features.Length; d++)
        {
            z += Weights[d] * (features[d] - _mean[d]) / _scale[d];
        }

        return Sigmoid(z);
    }

    private static double Dot(double[] a, double[] b)
    {
        var sum = 0.0;
        for (var i = 0; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }

    private static double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));
}
