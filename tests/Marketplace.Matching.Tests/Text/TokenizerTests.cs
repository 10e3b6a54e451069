using Marketplace.Matching.Text;

namespace Marketplace.Matching.Tests.Text;

public class TokenizerTests
{
    [Fact]
    public void Chinese_YieldsOverlappingUnigramsAndBigrams()
    {
        Assert.Equal(["缺", "缺陷", "陷", "陷检", "检", "检测", "测"], Tokenizer.Tokenize("缺陷检测"));
    }

    [Fact]
    public void Chinese_StopCharactersAndTheBigramsAcrossThemAreDropped()
    {
        // 的 is a stop character: no 的 unigram, no 钢的 / 的缺 bigrams.
        Assert.Equal(["带", "带钢", "钢", "缺", "缺陷", "陷"], Tokenizer.Tokenize("带钢的缺陷"));
    }

    [Fact]
    public void English_DropsStopWordsAndStemsLightly()
    {
        Assert.Equal(["inspect", "inspect", "inspect", "batch", "battery"], Tokenizer.Tokenize("The inspects, inspected and inspecting of batches of batteries"));
    }

    [Fact]
    public void English_OptimizeAndOptimizedShareAStem()
    {
        Assert.Equal(Tokenizer.Tokenize("optimize"), Tokenizer.Tokenize("optimized"));
        Assert.Equal(Tokenizer.Tokenize("machine"), Tokenizer.Tokenize("Machines"));
    }

    [Fact]
    public void FullWidthText_IsFoldedToHalfWidthAndLowerCase()
    {
        Assert.Equal(Tokenizer.Tokenize("AI defect 2024"), Tokenizer.Tokenize("ＡＩ　Ｄｅｆｅｃｔ　２０２４"));
        Assert.Equal(["ai", "defect", "2024"], Tokenizer.Tokenize("ＡＩ　Ｄｅｆｅｃｔ　２０２４"));
    }

    [Theory]
    [InlineData("误报率 ≤ 1%", "1%")]
    [InlineData("检出率 ≥ 98 %", "98%")]
    [InlineData("width 0.1 mm", "0.1mm")]
    [InlineData("latency 50ms", "50ms")]
    [InlineData("2,000 images", "2000")]
    [InlineData("温度 ８５℃", "85°c")]
    [InlineData("精度０．５ｍｍ", "0.5mm")]
    public void Numbers_KeepTheirUnits(string text, string expected)
    {
        Assert.Contains(expected, Tokenizer.Tokenize(text));
    }

    [Fact]
    public void Numbers_AreNotJoinedToOrdinaryWords()
    {
        Assert.Equal(["300", "pharmacy"], Tokenizer.Tokenize("300 pharmacies"));
    }

    [Fact]
    public void MixedText_HandlesEachScriptInOneDocument()
    {
        var tokens = Tokenizer.Tokenize("基于YOLOv8的PCB缺陷检测, latency < 20 ms");
        Assert.Contains("yolov8", tokens);
        Assert.Contains("pcb", tokens);
        Assert.Contains("缺陷", tokens);
        Assert.Contains("检测", tokens);
        Assert.Contains("基", tokens); // 于 is a stop character, so no 基于 bigram
        Assert.Contains("latency", tokens);
        Assert.Contains("20ms", tokens);
    }

    [Fact]
    public void Punctuation_SeparatesTokens()
    {
        Assert.Equal(["cnc", "spindl", "vibration"], Tokenizer.Tokenize("CNC-spindle/vibration!"));
        Assert.Equal(["钢", "钢板", "板", "检", "检测", "测"], Tokenizer.Tokenize("钢板，检测。"));
        Assert.DoesNotContain("板检", Tokenizer.Tokenize("钢板，检测。"));
    }

    [Fact]
    public void Normalizer_FoldsFullWidthPunctuationAndSpaces()
    {
        Assert.Equal("abc, 123 x", TextNormalizer.Normalize("ＡＢＣ，　１２３\tX"));
    }
}
