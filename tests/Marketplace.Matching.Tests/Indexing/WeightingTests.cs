namespace Marketplace.Matching.Tests.Indexing;

public class WeightingTests
{
    // Two documents: "alpha alpha beta" and "alpha gamma". N = 2, df(alpha) = 2, df(beta) = df(gamma) = 1.
    private static readonly ChallengeDocument Challenge = new("c", string.Empty, "alpha alpha beta");
    private static readonly VendorDocument Vendor = new("v", "V", "alpha gamma");

    [Fact]
    public void TfIdf_MatchesHandComputedCosine()
    {
        var index = new MatchIndex(MatchOptions.Plain);
        index.Upsert(Challenge);
        index.Upsert(Vendor);

        var idfAlpha = Math.Log(3.0 / 3.0) + 1;           // 1
        var idfRare = Math.Log(3.0 / 2.0) + 1;            // 1.405465
        var challengeAlpha = (1 + Math.Log(2)) * idfAlpha; // sublinear tf of 2
        var challengeNorm = Math.Sqrt((challengeAlpha * challengeAlpha) + (idfRare * idfRare));
        var vendorNorm = Math.Sqrt((idfAlpha * idfAlpha) + (idfRare * idfRare));
        var expected = challengeAlpha / challengeNorm * (idfAlpha / vendorNorm);

        var match = Assert.Single(index.TopVendorsFor("c", 10));
        Assert.Equal(expected, match.Score, 5);
        Assert.Equal(0.4461, expected, 4);
    }

    [Fact]
    public void Bm25_MatchesHandComputedCosine()
    {
        var options = MatchOptions.Bm25Plain;
        var index = new MatchIndex(options);
        index.Upsert(Challenge);
        index.Upsert(Vendor);

        double k1 = options.Bm25K1, b = options.Bm25B;
        var idfAlpha = Math.Log(1 + ((2 - 2 + 0.5) / (2 + 0.5)));
        var idfRare = Math.Log(1 + ((2 - 1 + 0.5) / (1 + 0.5)));
        // Each kind has one document, so its length equals the average: the length factor is k1.
        double Saturate(double tf) => tf * (k1 + 1) / (tf + k1);
        var challengeAlpha = Saturate(2) * idfAlpha;
        var challengeBeta = Saturate(1) * idfRare;
        var vendorAlpha = Saturate(1) * idfAlpha;
        var vendorGamma = Saturate(1) * idfRare;
        var expected = challengeAlpha * vendorAlpha
                       / Math.Sqrt((challengeAlpha * challengeAlpha) + (challengeBeta * challengeBeta))
                       / Math.Sqrt((vendorAlpha * vendorAlpha) + (vendorGamma * vendorGamma));

        Assert.Equal(expected, Assert.Single(index.TopVendorsFor("c", 10)).Score, 5);
    }

    [Fact]
    public void FieldWeights_MultiplyCountsBeforeSublinearScaling()
    {
        // Title weight 3 makes "alpha" in the title count as tf 3: weight 1 + ln 3.
        var options = MatchOptions.Plain with { Fields = new FieldWeights(3, 1, 1, 1) };
        var index = new MatchIndex(options);
        index.Upsert(new ChallengeDocument("c", "alpha", "beta"));
        index.Upsert(new VendorDocument("v", "V", "alpha gamma"));

        var idfRare = Math.Log(3.0 / 2.0) + 1;
        var challengeAlpha = 1 + Math.Log(3);
        var expected = challengeAlpha / Math.Sqrt((challengeAlpha * challengeAlpha) + (idfRare * idfRare)) / Math.Sqrt(1 + (idfRare * idfRare));

        Assert.Equal(expected, Assert.Single(index.TopVendorsFor("c", 10)).Score, 5);
    }

    [Fact]
    public void Aggregation_BlendsProfileWithBestCase()
    {
        // Profile matches nothing; the first case is the challenge's exact text, the second is unrelated.
        var options = MatchOptions.Plain with { Aggregation = CaseAggregation.Max, ProfileWeight = 0.25f };
        var index = new MatchIndex(options);
        index.Upsert(new ChallengeDocument("c", string.Empty, "alpha beta"));
        index.Upsert(new VendorDocument("v", "V", "delta") { Portfolio = [new PortfolioCase(string.Empty, "alpha beta"), new PortfolioCase(string.Empty, "epsilon")] });

        var match = Assert.Single(index.TopVendorsFor("c", 10));
        Assert.Equal(0.75, match.Score, 5);
        Assert.Equal(0, match.Explanation.BestCase!.Index);
        Assert.Equal(1.0, match.Explanation.BestCase.Score, 4);
    }

    [Fact]
    public void Aggregation_TopMeanAveragesTheBestCases()
    {
        var options = MatchOptions.Plain with { Aggregation = CaseAggregation.TopMean, TopCases = 2, ProfileWeight = 0 };
        var index = new MatchIndex(options);
        index.Upsert(new ChallengeDocument("c", string.Empty, "alpha beta"));
        index.Upsert(new VendorDocument("v", "V", string.Empty)
        {
            Portfolio = [new PortfolioCase(string.Empty, "alpha beta"), new PortfolioCase(string.Empty, "alpha beta"), new PortfolioCase(string.Empty, "zeta")],
        });

        Assert.Equal(1.0, Assert.Single(index.TopVendorsFor("c", 10)).Score, 5);
    }
}
