using Marketplace.Cli.Matching;
using Marketplace.Matching;
using Marketplace.Matching.Evaluation;

namespace Marketplace.Benchmarks;

/// <summary>The labelled evaluation set in seeds/eval, loaded once.</summary>
public sealed record EvalSet(List<ChallengeDocument> Challenges, List<VendorDocument> Vendors, Judgements Judgements)
{
    public static EvalSet Load(string root)
    {
        var directory = Path.Combine(root, "seeds", "eval");
        using var challengeReader = new StreamReader(Path.Combine(directory, "challenges.jsonl"));
        using var vendorReader = new StreamReader(Path.Combine(directory, "vendors.jsonl"));
        using var qrelsReader = new StreamReader(Path.Combine(directory, "qrels.tsv"));
        var (challenges, challengeErrors) = MatchInputs.ReadChallenges(challengeReader, "challenges.jsonl");
        var (vendors, vendorErrors) = MatchInputs.ReadVendors(vendorReader, "vendors.jsonl");
        var (judgements, qrelsErrors) = Judgements.Parse(qrelsReader);
        var errors = challengeErrors.Concat(vendorErrors).Concat(qrelsErrors).ToList();
        if (errors.Count > 0)
        {
            throw new InvalidDataException(string.Join(Environment.NewLine, errors));
        }

        return new EvalSet(challenges, vendors, judgements);
    }

    public MatchIndex BuildIndex(MatchOptions options)
    {
        var index = new MatchIndex(options);
        index.UpsertMany(Challenges);
        index.UpsertMany(Vendors);
        return index;
    }

    public EvaluationSummary Evaluate(MatchOptions options) => Evaluate(BuildIndex(options));

    public EvaluationSummary Evaluate(MatchIndex index)
    {
        var rankings = index.TopVendorsForAllChallenges(int.MaxValue, explain: false)
            .ToDictionary(c => c.ChallengeId, c => (IReadOnlyList<string>)[.. c.Vendors.Select(v => v.Id)], StringComparer.Ordinal);
        return RankingMetrics.Evaluate(rankings, Judgements);
    }

    /// <summary>Finds the repository root (the folder holding Marketplace.sln) from the working directory up.</summary>
    public static string FindRoot()
    {
        for (var directory = new DirectoryInfo(Environment.CurrentDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Marketplace.sln")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException("Run from inside the repository (no Marketplace.sln found above the working directory).");
    }
}
