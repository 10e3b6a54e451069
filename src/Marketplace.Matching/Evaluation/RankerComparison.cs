using Marketplace.Matching.Learning;
using Marketplace.Matching.Ranking;
using Marketplace.Matching.Semantics;

namespace Marketplace.Matching.Evaluation;

/// <summary>One configuration's figures on one language subset, each with a bootstrap 95 % interval.</summary>
public sealed record ComparisonRow(string Configuration, string Language, int Queries, Interval Ndcg, Interval Map, Interval Recall);

public sealed record ComparisonReport(IReadOnlyList<ComparisonRow> Rows, string LearnedVerdict);

/// <summary>
/// Every ranker of the matcher side by side on one set of judgements: the baselines (TF-IDF over Chinese character
/// bigrams and English words, TF-IDF over jieba words, BM25 plain, the previous default index), the text ranker and the
/// learned ranker (k-fold cross-validation over challenges: each fold is ranked by a model trained on the others'
/// judgements only). Per language (the challenge's) and overall, bootstrap intervals over challenges.
/// </summary>
public static class RankerComparison
{
    public const string TextRanker = "text ranker (fallback)";
    public const string Learned = "learned LambdaMART (5-fold CV)";
    public const string Default = "default: learned if it earns its place, else text";

    public static ComparisonReport Run(IReadOnlyList<ChallengeDocument> challenges, IReadOnlyList<VendorDocument> vendors, Judgements judgements,
        TermList? terms = null, int folds = 5, int resamples = 1000, int seed = 42, TextRankerWeights? weights = null)
    {
        var rankings = new Dictionary<string, Dictionary<string, IReadOnlyList<string>>>(StringComparer.Ordinal);
        foreach (var (name, options) in new[] { ("BM25 plain", MatchOptions.Bm25Plain), ("previous default (index)", MatchOptions.Default) })
        {
            var index = new MatchIndex(options);
            index.UpsertMany(challenges);
            index.UpsertMany(vendors);
            rankings[name] = index.TopVendorsForAllChallenges(int.MaxValue, explain: false)
                .ToDictionary(c => c.ChallengeId, c => (IReadOnlyList<string>)[.. c.Vendors.Select(v => v.Id)], StringComparer.Ordinal);
        }

        var ranker = VendorRankerFactory.Build(challenges, vendors, MatchOptions.Default, terms, weights);
        var all = new Dictionary<string, List<RankedVendor>>(StringComparer.Ordinal);
        var bigrams = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var words = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var languages = new Dictionary<string, string>(StringComparer.Ordinal);
        var analyzer = new TextAnalyzer(terms ?? TermList.Default);
        foreach (var challenge in challenges)
        {
            var analysed = analyzer.Analyse(challenge);
            languages[challenge.Id] = analysed.Language;
            var vectors = ranker.Space.Vectorise(analysed);
            bigrams[challenge.Id] = Order(ranker.Space.Similar(vectors.Whole[(int)Representation.Bigrams], Representation.Bigrams));
            words[challenge.Id] = Order(ranker.Space.Similar(vectors.Whole[(int)Representation.Words], Representation.Words));
            all[challenge.Id] = ranker.CandidatesFor(challenge, ranker.Space.VendorCount);
        }

        rankings["TF-IDF bigrams (zh) / words (en)"] = bigrams;
        rankings["TF-IDF jieba words"] = words;
        rankings[TextRanker] = all.ToDictionary(p => p.Key, p => Order(p.Value.ToDictionary(v => v.Id, v => v.TextScore, StringComparer.Ordinal)), StringComparer.Ordinal);

        // Learned ranker: fold f is ranked by a model that never saw a judgement of fold f.
        var learned = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var chosen = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var foldsUsingModel = 0;
        var wins = 0;
        for (var fold = 0; fold < folds; fold++)
        {
            var training = new List<LabelledPair>();
            var testing = new List<string>();
            foreach (var (challengeId, candidates) in all)
            {
                if (LearnedRanker.StableHash(challengeId) % (uint)folds == fold)
                {
                    testing.Add(challengeId);
                    continue;
                }

                var grades = judgements.ByQuery.GetValueOrDefault(challengeId);
                if (grades is null)
                {
                    continue;
                }

                // Judged pairs only: unjudged candidates are unknown, not known to be bad.
                training.AddRange(candidates.Where(c => grades.ContainsKey(c.Id)).Select(c => new LabelledPair(challengeId, c.Id, c.Features, grades[c.Id])));
            }

            var model = RankingModel.Train(training, seed);
            // The default as the application runs it: LearnedRanker's own rule, decided on the training folds alone
            // (it holds out 30 % of their challenges), picks the model or the text score for this fold.
            var rule = LearnedRanker.Train(training);
            foldsUsingModel += rule.UseModel ? 1 : 0;
            foreach (var challengeId in testing)
            {
                var candidates = all[challengeId];
                var features = candidates.Select(c => c.Features).ToList();
                var scores = model.Score(features);
                learned[challengeId] = Order(candidates.Select((c, i) => (c.Id, (double)scores[i])).ToDictionary(p => p.Id, p => p.Item2, StringComparer.Ordinal), positiveOnly: false);
                var ruled = rule.ScoresOf(features);
                chosen[challengeId] = Order(candidates.Select((c, i) => (c.Id, ruled[i])).ToDictionary(p => p.Id, p => p.Item2, StringComparer.Ordinal), positiveOnly: !rule.UseModel);
            }
        }

        rankings[Learned] = learned;
        rankings[Default] = chosen;
        var rows = new List<ComparisonRow>();
        foreach (var (name, ranking) in rankings)
        {
            var perQuery = RankingMetrics.PerQuery(ranking, judgements);
            foreach (var language in new[] { "zh", "en", "all" })
            {
                var subset = perQuery.Where(q => language == "all" || languages.GetValueOrDefault(q.Key) == language).OrderBy(q => q.Key, StringComparer.Ordinal).Select(q => q.Value).ToList();
                rows.Add(new ComparisonRow(name, language, subset.Count,
                    Bootstrap.MeanInterval([.. subset.Select(q => q.Ndcg)], resamples, seed),
                    Bootstrap.MeanInterval([.. subset.Select(q => q.AveragePrecision)], resamples, seed),
                    Bootstrap.MeanInterval([.. subset.Select(q => q.Recall)], resamples, seed)));
            }
        }

        var text = rows.Single(r => r.Configuration == TextRanker && r.Language == "all");
        var model2 = rows.Single(r => r.Configuration == Learned && r.Language == "all");
        wins = model2.Ndcg.Mean >= text.Ndcg.Mean + 0.01 && model2.Map.Mean >= text.Map.Mean ? 1 : 0;
        var verdict = wins == 1
            ? FormattableString.Invariant($"the learned ranker beats the text ranker on held-out folds (nDCG@10 {model2.Ndcg.Mean:F3} vs {text.Ndcg.Mean:F3}, MAP {model2.Map.Mean:F3} vs {text.Map.Mean:F3})")
            : FormattableString.Invariant($"the learned ranker does not beat the text ranker by 0.01 nDCG@10 without losing MAP on held-out folds (nDCG@10 {model2.Ndcg.Mean:F3} vs {text.Ndcg.Mean:F3}, MAP {model2.Map.Mean:F3} vs {text.Map.Mean:F3}); the text ranker stays");
        verdict += FormattableString.Invariant($"; the default used the model in {foldsUsingModel} of {folds} folds (rule decided on each fold's training challenges only)");
        return new ComparisonReport(rows, verdict);
    }

    /// <summary>Ids by descending score, ties by id: the same tie rule for every configuration.</summary>
    private static IReadOnlyList<string> Order(Dictionary<string, double> scores, bool positiveOnly = true) =>
        [.. scores.Where(p => !positiveOnly || p.Value > 0).OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key)];
}
