namespace Marketplace.Matching.Tests.Indexing;

public class RankingTests
{
    [Theory]
    [InlineData("ch-strip", "ven-vision")]
    [InlineData("ch-route", "ven-route")]
    [InlineData("ch-pump", "ven-pdm")]
    public void TopVendorsFor_PutsTheObviousVendorFirst(string challenge, string vendor)
    {
        var index = Fixtures.BuildIndex();

        Assert.Equal(vendor, index.TopVendorsFor(challenge, 3)[0].Id);
    }

    [Fact]
    public void TopVendorsFor_RanksAreOneToKAndScoresDescend()
    {
        var matches = Fixtures.BuildIndex().TopVendorsFor("ch-strip", 10);

        Assert.Equal(Enumerable.Range(1, matches.Count), matches.Select(m => m.Rank));
        Assert.Equal(matches.OrderByDescending(m => m.Score).Select(m => m.Id), matches.Select(m => m.Id));
        Assert.All(matches, m => Assert.InRange(m.Score, 0, 1));
    }

    [Fact]
    public void TopChallengesFor_UsesTheSameAbsoluteScoreAsTopVendorsFor()
    {
        var index = Fixtures.BuildIndex();
        foreach (var vendor in Fixtures.Vendors)
        {
            foreach (var recommended in index.TopChallengesFor(vendor.Id, 10))
            {
                var forward = index.TopVendorsFor(recommended.Id, 10).Single(m => m.Id == vendor.Id);
                Assert.Equal(forward.Score, recommended.Score, 5);
            }
        }
    }

    [Fact]
    public void TopVendorsFor_ADraftChallengeScoresLikeTheSameIndexedChallengeWouldRank()
    {
        var index = Fixtures.BuildIndex();
        var draft = Fixtures.StripDefects with { Id = "draft" };

        Assert.Equal(index.TopVendorsFor("ch-strip", 4).Select(m => m.Id), index.TopVendorsFor(draft, 4).Select(m => m.Id));
    }

    [Fact]
    public void Explanation_SharesArePositiveAndSumToAtMostOne()
    {
        var index = Fixtures.BuildIndex();
        foreach (var challenge in Fixtures.Challenges)
        {
            foreach (var match in index.TopVendorsFor(challenge.Id, 10))
            {
                var shares = match.Explanation.TopTerms.Select(t => t.Share).ToList();
                Assert.All(shares, s => Assert.InRange(s, 0, 1));
                Assert.InRange(shares.Sum(), 0, 1.0001);
                Assert.Equal(shares.OrderByDescending(s => s), shares);
            }
        }
    }

    [Fact]
    public void Explanation_SharesOfAllTermsSumToOne()
    {
        // Few enough shared terms that all of them are listed.
        var index = new MatchIndex(MatchOptions.Plain);
        index.Upsert(new ChallengeDocument("c", "pump vibration", "bearing wear"));
        index.Upsert(new VendorDocument("v", "V", "pump vibration monitoring, bearing"));
        index.Upsert(new VendorDocument("w", "W", "unrelated text"));

        var match = index.TopVendorsFor("c", 1)[0];

        Assert.Equal(1.0, match.Explanation.TopTerms.Sum(t => t.Share), 3);
        Assert.Equal(["bear", "pump", "vibration"], match.Explanation.TopTerms.Select(t => t.Term).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Explanation_NamesMatchedTagsAndTheBestCase()
    {
        var match = Fixtures.BuildIndex().TopVendorsFor("ch-strip", 1)[0];

        Assert.Equal("ven-vision", match.Id);
        Assert.Equal(["computer-vision", "defect-detection"], match.Explanation.MatchedTags);
        Assert.Equal("某钢厂热轧带钢表面缺陷检测", match.Explanation.BestCase!.Title);
        Assert.Contains(match.Explanation.TopTerms, t => t.Term == "缺陷");
    }

    [Fact]
    public void IncrementalUpdates_EqualARebuildFromTheFinalDocuments()
    {
        var incremental = new MatchIndex();
        foreach (var challenge in Fixtures.Challenges)
        {
            incremental.Upsert(challenge);
        }

        incremental.Upsert(Fixtures.LlmVendor);
        incremental.Upsert(Fixtures.VisionVendor with { Profile = "old text about welding" });
        _ = incremental.TopVendorsFor("ch-strip", 5); // forces a snapshot in between
        incremental.Upsert(new VendorDocument("ven-gone", "Gone", "surface defect detection cameras"));
        foreach (var vendor in Fixtures.Vendors)
        {
            incremental.Upsert(vendor); // replaces the welding profile
        }

        Assert.True(incremental.RemoveVendor("ven-gone"));
        Assert.False(incremental.RemoveVendor("ven-gone"));

        var rebuilt = Fixtures.BuildIndex();
        foreach (var challenge in Fixtures.Challenges)
        {
            var expected = rebuilt.TopVendorsFor(challenge.Id, 10);
            var actual = incremental.TopVendorsFor(challenge.Id, 10);
            Assert.Equal(expected.Select(m => m.Id), actual.Select(m => m.Id));
            // Term ids differ between the two histories, so float sums run in another order: equal to rounding.
            Assert.All(expected.Zip(actual), pair => Assert.Equal(pair.First.Score, pair.Second.Score, 6));
        }
    }

    [Fact]
    public void RemovedChallenge_IsNoLongerRecommended()
    {
        var index = Fixtures.BuildIndex();
        Assert.Contains(index.TopChallengesFor("ven-route", 10), m => m.Id == "ch-route");

        index.RemoveChallenge("ch-route");

        Assert.DoesNotContain(index.TopChallengesFor("ven-route", 10), m => m.Id == "ch-route");
        Assert.Empty(index.TopVendorsFor("ch-route", 10));
    }

    [Fact]
    public async Task Reads_AreSafeWhileWritesHappen()
    {
        var index = Fixtures.BuildIndex();
        // A deadline rather than a timer, and dedicated threads: busy loops on pool threads would
        // starve the pool (and the timer) on a two-core machine.
        var deadline = System.Diagnostics.Stopwatch.StartNew();
        bool Running() => deadline.ElapsedMilliseconds < 500;
        var writer = Task.Factory.StartNew(() =>
        {
            var n = 0;
            while (Running())
            {
                index.Upsert(new VendorDocument($"ven-extra-{n % 20}", "Extra", $"surface defect detection number {n % 20}"));
                if (n % 3 == 0)
                {
                    index.RemoveVendor($"ven-extra-{(n + 7) % 20}");
                }

                n++;
            }
        }, TaskCreationOptions.LongRunning);
        var readers = Enumerable.Range(0, 2).Select(_ => Task.Factory.StartNew(() =>
        {
            var reads = 0;
            while (Running() || reads == 0)
            {
                var matches = index.TopVendorsFor("ch-strip", 5);
                Assert.NotEmpty(matches);
                Assert.Equal(Enumerable.Range(1, matches.Count), matches.Select(m => m.Rank));
                reads++;
            }

            return reads;
        }, TaskCreationOptions.LongRunning)).ToArray();

        await writer;
        Assert.All(await Task.WhenAll(readers), reads => Assert.True(reads > 0));
    }

    [Fact]
    public void TopReviewersFor_MatchesExpertiseAndSkipsConflicts()
    {
        var index = new MatchIndex();
        index.Upsert(new ReviewerDocument("rev-vision", "Prof. Li", "machine vision, surface defect inspection, deep learning") { PastReviews = ["Reviewed a steel strip defect detection proposal."] });
        index.Upsert(new ReviewerDocument("rev-logistics", "Dr. Wang", "vehicle routing, operations research") { PastReviews = ["Reviewed a warehouse slotting proposal."] });
        index.Upsert(new ReviewerDocument("rev-vision-2", "Dr. Chen", "surface inspection cameras and defect classification"));
        var proposal = new ProposalDocument("p1", "Strip surface defect detection", "A deep learning surface inspection system for the strip line.");

        Assert.Equal("rev-vision", index.TopReviewersFor(proposal, 3)[0].Id);
        var withoutConflicts = index.TopReviewersFor(proposal, 3, new HashSet<string> { "rev-vision" });
        Assert.DoesNotContain(withoutConflicts, m => m.Id == "rev-vision");
        Assert.Equal("rev-vision-2", withoutConflicts[0].Id);
    }

    [Fact]
    public void UnknownIds_GiveEmptyResults()
    {
        var index = Fixtures.BuildIndex();

        Assert.Empty(index.TopVendorsFor("nope", 5));
        Assert.Empty(index.TopChallengesFor("nope", 5));
        Assert.Null(index.Explain("nope", "ven-vision"));
    }

    [Fact]
    public void AllChallenges_AgreeWithOneAtATime()
    {
        var index = Fixtures.BuildIndex();
        foreach (var result in index.TopVendorsForAllChallenges(3))
        {
            Assert.Equal(index.TopVendorsFor(result.ChallengeId, 3).Select(m => (m.Id, m.Score)), result.Vendors.Select(m => (m.Id, m.Score)));
        }
    }

    [Fact]
    public void Explanation_ListsAChineseBigramWithoutItsSingleCharacters()
    {
        var terms = Fixtures.BuildIndex().TopVendorsFor("ch-strip", 1)[0].Explanation.TopTerms.Select(t => t.Term).ToList();

        Assert.Contains("缺陷", terms);
        Assert.DoesNotContain("缺", terms);
        Assert.DoesNotContain("陷", terms);
    }

    [Fact]
    public void TopVendorsFor_ACrossLanguagePairMatchesThroughTags()
    {
        // An English challenge and a Chinese vendor share no words, only a capability tag.
        var index = new MatchIndex();
        index.Upsert(new ChallengeDocument("c", "Fabric defect inspection", "Inspect greige fabric on looms.") { Tags = ["defect-detection"] });
        index.Upsert(new VendorDocument("v-zh", "织瞳", "纺织品瑕疵自动检测。") { Tags = ["defect-detection"] });
        index.Upsert(new VendorDocument("v-other", "Other", "大模型问答。") { Tags = ["llm"] });

        var match = Assert.Single(index.TopVendorsFor("c", 5));
        Assert.Equal("v-zh", match.Id);
        Assert.Equal(["defect-detection"], match.Explanation.MatchedTags);
    }
}
