using System.CommandLine;
using System.Globalization;
using Marketplace.Matching;

namespace Marketplace.Cli.Matching;

/// <summary>`marketplace match`: score every challenge against every vendor from JSON Lines files.</summary>
public static class MatchCommand
{
    public static Command Create()
    {
        var inputs = new MatcherOptions();
        var output = new Option<FileInfo>("--out") { Description = "Where to write the scored pairs (JSON Lines).", Required = true };
        var top = new Option<int>("--top") { Description = "Vendors kept per challenge (default 10).", DefaultValueFactory = _ => 10 };
        var all = new Option<bool>("--all") { Description = "Write every challenge–vendor pair instead of the top K." };
        var command = new Command("match", "Rank vendors for every challenge; scores share one absolute scale.") { output, top, all, TrainCommand.Create() };
        inputs.AddTo(command);
        command.Validators.Add(result =>
        {
            if (result.GetResult(top) is { Implicit: false } && result.GetResult(all) is { Implicit: false })
            {
                result.AddError("Use either --top K or --all, not both.");
            }
        });
        command.SetAction((parseResult, cancellationToken) =>
        {
            if (parseResult.GetValue(top) < 1)
            {
                parseResult.InvocationConfiguration.Error.WriteLine("error: --top must be at least 1.");
                return Task.FromResult(2);
            }

            var run = inputs.Read(parseResult) with
            {
                OutputPath = parseResult.GetValue(output)!.FullName,
                Top = parseResult.GetValue(top),
                All = parseResult.GetValue(all),
            };
            return MatchRunner.MatchAsync(run, parseResult.InvocationConfiguration.Output, parseResult.InvocationConfiguration.Error, cancellationToken);
        });
        return command;
    }
}

/// <summary>
/// `marketplace match train`: train the learned ranker (LambdaMART) on judged pairs and write it as an ML.NET model zip
/// for `match --model` / `eval --model`, only when it beats the text ranker on held-out challenges.
/// </summary>
public static class TrainCommand
{
    public static Command Create()
    {
        var inputs = new MatcherOptions(withModel: false);
        var qrels = new Option<FileInfo>("--qrels") { Description = "Judgements: challengeId<TAB>vendorId<TAB>grade (0-2).", Required = true };
        var output = new Option<FileInfo>("--out") { Description = "Where to write the model (an ML.NET zip).", Required = true };
        var command = new Command("train", "Train the learned ranker on judged pairs; writes the model only when it beats the text ranker on held-out challenges.") { qrels, output };
        inputs.AddTo(command);
        command.SetAction((parseResult, cancellationToken) =>
        {
            var run = inputs.Read(parseResult) with { QrelsPath = parseResult.GetValue(qrels)!.FullName, OutputPath = parseResult.GetValue(output)!.FullName };
            return MatchRunner.TrainAsync(run, parseResult.InvocationConfiguration.Output, parseResult.InvocationConfiguration.Error, cancellationToken);
        });
        return command;
    }
}

/// <summary>`marketplace eval`: nDCG@10, MAP and Recall@10 of the matcher against graded judgements.</summary>
public static class EvalCommand
{
    public static Command Create()
    {
        var inputs = new MatcherOptions();
        var qrels = new Option<FileInfo>("--qrels") { Description = "Judgements: challengeId<TAB>vendorId<TAB>grade (0-2).", Required = true };
        var compare = new Option<bool>("--compare") { Description = "Every baseline and ranker side by side, per language, with and without tags, with bootstrap 95% intervals." };
        var holdOut = new Option<bool>("--hold-out-terms") { Description = "With --compare: drop every other concept of the term list (to measure how much of the gain depends on it)." };
        var command = new Command("eval", "Evaluate the matcher's ranking against graded judgements.") { qrels, compare, holdOut };
        inputs.AddTo(command);
        command.SetAction((parseResult, cancellationToken) =>
        {
            var run = inputs.Read(parseResult) with { QrelsPath = parseResult.GetValue(qrels)!.FullName, HoldOutTerms = parseResult.GetValue(holdOut) };
            if (parseResult.GetValue(compare))
            {
                return MatchRunner.CompareAsync(run, parseResult.InvocationConfiguration.Output, parseResult.InvocationConfiguration.Error, cancellationToken);
            }

            return MatchRunner.EvaluateAsync(run, parseResult.InvocationConfiguration.Output, parseResult.InvocationConfiguration.Error, cancellationToken);
        });
        return command;
    }
}

/// <summary>The inputs and matcher settings both commands share.</summary>
internal sealed class MatcherOptions(bool withModel = true)
{
    private readonly Option<FileInfo> _model = new("--model") { Description = "A learned ranker written by `marketplace match train`: re-ranks the text ranker's candidates (scores stay text scores)." };
    private readonly Option<FileInfo> _challenges = new("--challenges") { Description = "Challenges, one JSON object a line: id, title, description, tags.", Required = true };
    private readonly Option<FileInfo> _vendors = new("--vendors") { Description = "Vendors, one JSON object a line: id, name, profile, portfolio[{title, text}].", Required = true };
    private readonly Option<string> _preset = new("--preset") { Description = "default (tuned on seeds/eval), plain (scikit-learn-equivalent TF-IDF) or bm25.", DefaultValueFactory = _ => "default" };
    private readonly Option<string?> _scheme = new("--scheme") { Description = "Override the weighting: tfidf or bm25." };
    private readonly Option<string?> _aggregation = new("--aggregation") { Description = "Override how cases combine: concatenate, max, topmean or mean." };
    private readonly Option<float?> _profileWeight = new("--profile-weight") { Description = "Override the profile's share of a vendor's score (0-1)." };
    private readonly Option<string?> _fields = new("--field-weights") { Description = "Override field weights: title,body,targets,tags (e.g. 2,1,1,2)." };
    private readonly Option<string> _ranker = new("--ranker") { Description = "default (the text ranker: index + words + term-list concepts) or index (the fast index alone, as before).", DefaultValueFactory = _ => "default" };
    private readonly Option<string?> _textWeights = new("--text-weights") { Description = "Override the text ranker's weights: index,words,concepts,best-case[,fused,best-case-fused[,cross-language concepts share]] (e.g. 0.4,0.1,0.1,0,0.4,0)." };
    private readonly Option<bool> _textOnly = new("--text-only") { Description = "Ignore the tags of challenges and vendors (measure the text alone)." };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { _challenges, _vendors, _preset, _scheme, _aggregation, _profileWeight, _fields, _ranker, _textWeights, _textOnly })
        {
            command.Options.Add(option);
        }

        if (withModel)
        {
            command.Options.Add(_model);
            _model.AcceptExistingOnly();
        }

        _challenges.AcceptExistingOnly();
        _vendors.AcceptExistingOnly();
        _preset.AcceptOnlyFromAmong("default", "plain", "bm25");
        _ranker.AcceptOnlyFromAmong("default", "index");
        _scheme.AcceptOnlyFromAmong("tfidf", "bm25");
        _aggregation.AcceptOnlyFromAmong("concatenate", "max", "topmean", "mean");
        _textWeights.Validators.Add(result =>
        {
            if (Numbers(result.GetValueOrDefault<string?>()) is not { Length: 4 or 6 or 7 } weights || weights.Any(w => w > 1))
            {
                result.AddError("--text-weights takes 4, 6 or 7 numbers between 0 and 1, separated by commas: index,words,concepts,best-case[,fused,best-case-fused[,cross-language share]].");
            }
        });
        _fields.Validators.Add(result =>
        {
            if (Numbers(result.GetValueOrDefault<string?>()) is not { Length: 4 })
            {
                result.AddError("--field-weights takes 4 non-negative numbers separated by commas: title,body,targets,tags (e.g. 2,1,0.5,1).");
            }
        });
    }

    /// <summary>Comma-separated non-negative numbers (invariant culture), or null when any part is not one.</summary>
    private static double[]? Numbers(string? text)
    {
        var parts = (text ?? "").Split(',');
        var numbers = new double[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!double.TryParse(parts[i].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out numbers[i]) || numbers[i] < 0 || !double.IsFinite(numbers[i]))
            {
                return null;
            }
        }

        return numbers;
    }

    public MatchRun Read(ParseResult parseResult)
    {
        var options = parseResult.GetValue(_preset) switch
        {
            "plain" => MatchOptions.Plain,
            "bm25" => MatchOptions.Bm25Plain,
            _ => MatchOptions.Default,
        };
        if (parseResult.GetValue(_scheme) is { } scheme)
        {
            options = options with { Scheme = scheme == "bm25" ? WeightingScheme.Bm25 : WeightingScheme.TfIdf };
        }

        if (parseResult.GetValue(_aggregation) is { } aggregation)
        {
            options = options with { Aggregation = Enum.Parse<CaseAggregation>(aggregation == "concatenate" ? "Concatenate" : aggregation == "topmean" ? "TopMean" : aggregation, ignoreCase: true) };
        }

        if (parseResult.GetValue(_profileWeight) is { } profileWeight)
        {
            options = options with { ProfileWeight = Math.Clamp(profileWeight, 0, 1) };
        }

        // The validators above refused any other shape, so a value here has its numbers.
        if (Numbers(parseResult.GetValue(_fields)) is [var title, var body, var targets, var tags])
        {
            options = options with { Fields = new FieldWeights((float)title, (float)body, (float)targets, (float)tags) };
        }

        return new MatchRun
        {
            ChallengesPath = parseResult.GetValue(_challenges)!.FullName,
            VendorsPath = parseResult.GetValue(_vendors)!.FullName,
            Options = options,
            IndexOnly = parseResult.GetValue(_ranker) == "index",
            TextOnly = parseResult.GetValue(_textOnly),
            ModelPath = withModel ? parseResult.GetValue(_model)?.FullName : null,
            TextWeights = parseResult.GetValue(_textWeights) is { } w && Numbers(w) is { Length: 4 or 6 or 7 } v
                ? new Marketplace.Matching.Ranking.TextRankerWeights(v[0], v[1], v[2], v[3], v.Length >= 6 ? v[4] : 0, v.Length >= 6 ? v[5] : 0,
                    v.Length == 7 ? v[6] : null)
                : null,
        };
    }
}
