using System.CommandLine;
using System.Text.Json;
using Marketplace.Cli.Matching;

namespace Marketplace.Matching.Tests.Cli;

public sealed class MatchCommandTests : IDisposable
{
    private const string Challenges = """
        {"id": "c1", "title": "冷轧带钢表面缺陷在线检测", "description": "需要在线识别划伤、辊印等表面缺陷。", "tags": ["defect-detection"]}
        {"id": "c2", "title": "Cold-chain route planning", "description": "Refrigerated deliveries to 300 pharmacies a day."}
        """;

    private const string Vendors = """
        {"id": "v1", "name": "Shenshi", "profile": "工业视觉表面缺陷检测。", "portfolio": [{"title": "带钢表面检测", "text": "带钢表面缺陷在线检测系统。"}]}
        {"id": "v2", "name": "RouteWise", "profile": "Delivery route planning for cold-chain logistics."}
        {"id": "v3", "name": "Cases only", "portfolio": [{"title": "Pharmacy routes", "text": "Daily pharmacy delivery routes."}]}
        """;

    private readonly string _directory = Directory.CreateTempSubdirectory("match-cli-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Match_WritesTopKPerChallengeWithRanksScoresAndExplanations()
    {
        var (exit, _, error) = await RunAsync("match", "--challenges", Write("c.jsonl", Challenges), "--vendors", Write("v.jsonl", Vendors), "--out", Out, "--top", "2");

        Assert.True(exit == 0, error);
        var lines = File.ReadAllLines(Out).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(3, lines.Count); // c1 shares words with v1 only: zero-score pairs are not ranked
        var first = lines[0];
        Assert.Equal("c1", first.GetProperty("challengeId").GetString());
        Assert.Equal("v1", first.GetProperty("vendorId").GetString());
        Assert.Equal(1, first.GetProperty("rank").GetInt32());
        Assert.InRange(first.GetProperty("score").GetDouble(), 0.01, 1);
        Assert.True(first.GetProperty("explanation").GetProperty("topTerms").GetArrayLength() > 0);
        Assert.Equal("带钢表面检测", first.GetProperty("explanation").GetProperty("bestCase").GetProperty("title").GetString());
        Assert.Equal([1, 1, 2], lines.Select(l => l.GetProperty("rank").GetInt32()));
    }

    [Fact]
    public async Task Match_TextOnlyInput_FindsTheEnglishVendorForAChineseChallengeThroughTheTermList()
    {
        // No tags on either side: only the bilingual term list bridges 焊缝/weld and 缺陷检测/defect detection.
        const string challenges = """
            {"id": "zh-weld", "title": "管道焊缝缺陷检测", "description": "对管道焊接的焊缝图像进行缺陷检测，降低漏检率。"}
            """;
        const string vendors = """
            {"id": "en-weld", "name": "SeamSight", "profile": "Defect detection of weld seams with deep learning; we cut the miss rate on pipeline welding."}
            {"id": "en-bakery", "name": "Crumb", "profile": "Demand forecasting for bakery chains."}
            {"id": "zh-textile", "name": "织云", "profile": "纺织布匹订单排产与颜色管理。"}
            """;

        var (exit, _, error) = await RunAsync("match", "--challenges", Write("c.jsonl", challenges), "--vendors", Write("v.jsonl", vendors), "--out", Out, "--top", "2");

        Assert.True(exit == 0, error);
        var first = JsonDocument.Parse(File.ReadLines(Out).First()).RootElement;
        Assert.Equal("en-weld", first.GetProperty("vendorId").GetString());
        Assert.InRange(first.GetProperty("score").GetDouble(), 0.01, 1);
        Assert.Equal(0, first.GetProperty("explanation").GetProperty("matchedTags").GetArrayLength());
        var concepts = first.GetProperty("explanation").GetProperty("matchedConcepts").EnumerateArray().Select(c => c.GetString()).ToList();
        Assert.Contains("焊缝", concepts);
        Assert.Contains("缺陷检测", concepts);
    }

    [Fact]
    public async Task Match_AllWritesEveryPair()
    {
        var (exit, _, error) = await RunAsync("match", "--challenges", Write("c.jsonl", Challenges), "--vendors", Write("v.jsonl", Vendors), "--out", Out, "--all");

        Assert.True(exit == 0, error);
        Assert.Equal(6, File.ReadAllLines(Out).Length);
    }

    [Fact]
    public async Task Match_BadLinesAreReportedByNumberAndNothingIsWritten()
    {
        var challenges = Challenges + "\n{\"title\": \"no id\"}\nnot json\n{\"id\": \"c1\", \"title\": \"duplicate\"}\n{\"id\": \"c9\", \"title\": \"t\", \"tags\": \"not-a-list\"}";
        var vendors = Vendors + "\n{\"id\": \"v9\", \"name\": \"nothing to match\"}";

        var (exit, _, error) = await RunAsync("match", "--challenges", Write("c.jsonl", challenges), "--vendors", Write("v.jsonl", vendors), "--out", Out);

        Assert.True(exit != 0 && !File.Exists(Out), error);
        Assert.True(error.Contains("c.jsonl:3: missing", StringComparison.Ordinal), error);
        Assert.Contains("c.jsonl:3: missing \"id\"", error, StringComparison.Ordinal);
        Assert.Contains("c.jsonl:4: not valid JSON", error, StringComparison.Ordinal);
        Assert.Contains("c.jsonl:5: duplicate id \"c1\"", error, StringComparison.Ordinal);
        Assert.Contains("c.jsonl:6: \"tags\" must be an array of strings", error, StringComparison.Ordinal);
        Assert.Contains("v.jsonl:4: needs a \"profile\" or a non-empty \"portfolio\"", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Match_TopAndAllTogetherAreRefused()
    {
        var (exit, _, _) = await RunAsync("match", "--challenges", Write("c.jsonl", Challenges), "--vendors", Write("v.jsonl", Vendors), "--out", Out, "--top", "3", "--all");

        Assert.NotEqual(0, exit);
        Assert.False(File.Exists(Out));
    }

    [Theory]
    [InlineData("--text-weights", "1,2")]
    [InlineData("--text-weights", "abc")]
    [InlineData("--text-weights", "0.6,0,0,0,0.4,0,1.5")]
    [InlineData("--field-weights", "2,1,x,1")]
    public async Task Match_BadWeights_AreRefusedWithTheExpectedShape_AndNothingIsWritten(string option, string value)
    {
        var (exit, _, error) = await RunAsync("match", "--challenges", Write("c.jsonl", Challenges), "--vendors", Write("v.jsonl", Vendors), "--out", Out, option, value);

        Assert.NotEqual(0, exit);
        Assert.Contains(option + " takes", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
        Assert.False(File.Exists(Out));
    }

    [Fact]
    public async Task Eval_PrintsTheThreeMetrics()
    {
        var qrels = Write("q.tsv", "c1\tv1\t2\nc1\tv2\t0\nc2\tv2\t2\nc2\tv3\t1\n");

        var (exit, output, error) = await RunAsync("eval", "--challenges", Write("c.jsonl", Challenges), "--vendors", Write("v.jsonl", Vendors), "--qrels", qrels);

        Assert.True(exit == 0, error);
        Assert.Contains("nDCG@10\t1.0000", output, StringComparison.Ordinal);
        Assert.Contains("MAP\t1.0000", output, StringComparison.Ordinal);
        Assert.Contains("Recall@10\t1.0000", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Eval_BadQrelsLineFails()
    {
        var qrels = Write("q.tsv", "c1\tv1\t2\nc1\tv2\tgood\n");

        var (exit, _, error) = await RunAsync("eval", "--challenges", Write("c.jsonl", Challenges), "--vendors", Write("v.jsonl", Vendors), "--qrels", qrels);

        Assert.NotEqual(0, exit);
        Assert.Contains("line 2", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MatchTrain_WritesAModelThatMatchAndEvalRankWith()
    {
        var (challenges, vendors, qrels) = SliceOfTheHardSet(challenges: 100, vendors: 200);
        var model = Path.Combine(_directory, "ranker.zip");

        var (trained, trainOutput, trainError) = await RunAsync("match", "train", "--challenges", challenges, "--vendors", vendors, "--qrels", qrels, "--text-only", "--out", model);

        Assert.True(trained == 0, trainOutput + trainError);
        Assert.Contains("beats the text score", trainOutput, StringComparison.Ordinal);
        Assert.True(File.Exists(model));

        var (withText, _, _) = await RunAsync("match", "--challenges", challenges, "--vendors", vendors, "--text-only", "--out", Out, "--top", "5");
        var textLines = File.ReadAllLines(Out);
        var (withModel, _, modelError) = await RunAsync("match", "--challenges", challenges, "--vendors", vendors, "--text-only", "--out", Out, "--top", "5", "--model", model);
        var modelLines = File.ReadAllLines(Out);

        Assert.True(withText == 0 && withModel == 0, modelError);
        Assert.Equal(500, modelLines.Length);
        Assert.NotEqual(textLines, modelLines); // the model re-orders the candidates
        // Fields as without a model; the score stays the text score (one scale), so it need not fall with the rank.
        var first = JsonDocument.Parse(modelLines[0]).RootElement;
        Assert.Equal(1, first.GetProperty("rank").GetInt32());
        Assert.InRange(first.GetProperty("score").GetDouble(), 0, 1);
        Assert.True(first.TryGetProperty("explanation", out _));

        var (evalText, textMetrics, _) = await RunAsync("eval", "--challenges", challenges, "--vendors", vendors, "--qrels", qrels, "--text-only");
        var (evalModel, modelMetrics, _) = await RunAsync("eval", "--challenges", challenges, "--vendors", vendors, "--qrels", qrels, "--text-only", "--model", model);
        Assert.True(evalText == 0 && evalModel == 0);
        Assert.NotEqual(textMetrics, modelMetrics);
    }

    [Fact]
    public async Task MatchTrain_TooFewJudgements_WritesNothingAndSaysWhy()
    {
        var qrels = Write("q.tsv", "c1\tv1\t2\nc1\tv2\t0\nc2\tv2\t2\nc2\tv3\t1\n");
        var model = Path.Combine(_directory, "ranker.zip");

        var (exit, output, error) = await RunAsync("match", "train", "--challenges", Write("c.jsonl", Challenges), "--vendors", Write("v.jsonl", Vendors), "--qrels", qrels, "--out", model);

        Assert.NotEqual(0, exit);
        Assert.Contains("200 needed", output, StringComparison.Ordinal);
        Assert.Contains("nothing was written", error, StringComparison.Ordinal);
        Assert.False(File.Exists(model));
    }

    [Fact]
    public async Task Match_ModelThatIsNotAModel_IsRefusedBeforeWriting()
    {
        var (exit, _, error) = await RunAsync("match", "--challenges", Write("c.jsonl", Challenges), "--vendors", Write("v.jsonl", Vendors), "--out", Out, "--model", Write("bad.zip", "not a zip"));

        Assert.NotEqual(0, exit);
        Assert.Contains("not a model written by `marketplace match train`", error, StringComparison.Ordinal);
        Assert.False(File.Exists(Out));
    }

    [Fact]
    public async Task Match_ModelWithTheIndexRanker_IsRefused()
    {
        var (exit, _, error) = await RunAsync("match", "--challenges", Write("c.jsonl", Challenges), "--vendors", Write("v.jsonl", Vendors), "--out", Out, "--ranker", "index", "--model", Write("m.zip", "x"));

        Assert.NotEqual(0, exit);
        Assert.Contains("cannot be used with --ranker index", error, StringComparison.Ordinal);
        Assert.False(File.Exists(Out));
    }

    /// <summary>The first challenges and vendors of seeds/eval-hard with their judgements, as files of their own.</summary>
    private (string Challenges, string Vendors, string Qrels) SliceOfTheHardSet(int challenges, int vendors)
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Marketplace.sln")))
        {
            directory = directory.Parent;
        }

        var set = Path.Combine(directory!.FullName, "seeds", "eval-hard");
        var challengeLines = File.ReadLines(Path.Combine(set, "challenges.jsonl")).Take(challenges).ToList();
        var vendorLines = File.ReadLines(Path.Combine(set, "vendors.jsonl")).Take(vendors).ToList();
        var challengeIds = challengeLines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("id").GetString()!).ToHashSet(StringComparer.Ordinal);
        var vendorIds = vendorLines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("id").GetString()!).ToHashSet(StringComparer.Ordinal);
        var qrels = File.ReadLines(Path.Combine(set, "qrels.tsv")).Where(l => l.Split('\t') is [var c, var v, ..] && challengeIds.Contains(c) && vendorIds.Contains(v));
        return (Write("hard-c.jsonl", string.Join('\n', challengeLines)), Write("hard-v.jsonl", string.Join('\n', vendorLines)), Write("hard-q.tsv", string.Join('\n', qrels)));
    }

    private string Out => Path.Combine(_directory, "s.jsonl");

    private string Write(string name, string content)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, content);
        return path;
    }

    private static async Task<(int Exit, string Output, string Error)> RunAsync(params string[] args)
    {
        var root = new RootCommand { MatchCommand.Create(), EvalCommand.Create() };
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }
}
