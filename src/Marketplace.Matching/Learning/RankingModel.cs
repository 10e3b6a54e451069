using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.LightGbm;

namespace Marketplace.Matching.Learning;

/// <summary>
/// A LightGBM LambdaMART model (ML.NET) that scores a pair from its <see cref="PairFeatures"/>; trained with the pairs
/// grouped by challenge, so it learns an order within a challenge, not an absolute probability. Saved and loaded as an
/// ML.NET model zip; a loaded model scores exactly as the one saved. Single-threaded and seeded, so training is
/// reproducible.
/// </summary>
public sealed class RankingModel
{
    private readonly MLContext _ml;
    private readonly ITransformer _model;

    private RankingModel(MLContext ml, ITransformer model)
    {
        _ml = ml;
        _model = model;
    }

    public static RankingModel Train(IReadOnlyList<LabelledPair> pairs, int seed = 1)
    {
        var ml = new MLContext(seed);
        // LightGBM wants the rows of a group together.
        var rows = pairs.OrderBy(p => p.ChallengeId, StringComparer.Ordinal)
            .Select(p => new Row { Label = p.Grade, Group = p.ChallengeId, Features = p.Features.ToArray() })
            .ToList();
        var data = ml.Data.LoadFromEnumerable(rows);
        var keyed = ml.Transforms.Conversion.MapValueToKey("GroupKey", nameof(Row.Group)).Fit(data).Transform(data);
        var trainer = ml.Ranking.Trainers.LightGbm(new LightGbmRankingTrainer.Options
        {
            LabelColumnName = nameof(Row.Label),
            FeatureColumnName = nameof(Row.Features),
            RowGroupColumnName = "GroupKey",
            NumberOfIterations = 150,
            NumberOfLeaves = 8,
            MinimumExampleCountPerLeaf = 5,
            LearningRate = 0.05,
            Seed = seed,
            NumberOfThreads = 1,
            Silent = true,
        });
        return new RankingModel(ml, trainer.Fit(keyed));
    }

    /// <summary>Scores of many pairs at once (one pass through the model).</summary>
    public float[] Score(IReadOnlyList<PairFeatures> pairs)
    {
        if (pairs.Count == 0)
        {
            return [];
        }

        var data = _ml.Data.LoadFromEnumerable(pairs.Select(p => new Row { Features = p.ToArray(), Group = string.Empty }));
        return [.. _model.Transform(data).GetColumn<float>("Score")];
    }

    public float Score(PairFeatures pair) => Score([pair])[0];

    public void Save(Stream stream)
    {
        var schema = _ml.Data.LoadFromEnumerable(Array.Empty<Row>()).Schema;
        _ml.Model.Save(_model, schema, stream);
    }

    public static RankingModel Load(Stream stream)
    {
        var ml = new MLContext(1);
        var model = ml.Model.Load(stream, out _);
        return new RankingModel(ml, model);
    }

    private sealed class Row
    {
        public float Label { get; set; }

        public string Group { get; set; } = string.Empty;

        [VectorType(PairFeatures.Count)]
        public float[] Features { get; set; } = [];
    }
}
