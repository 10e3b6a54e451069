using System.Diagnostics;
using System.Runtime.CompilerServices;
using Marketplace.Matching;
using Marketplace.Matching.Text;

namespace Marketplace.Benchmarks;

/// <summary>`profile`: where indexing time goes (normalise, tokenise, analyse, snapshot), single-threaded.</summary>
public static class Profile
{
    public static int Run()
    {
        var generator = new CorpusGenerator();
        var challenges = Enumerable.Range(0, 2000).Select(generator.Challenge).ToList();
        var vendors = Enumerable.Range(0, 2000).Select(generator.Vendor).ToList();
        var texts = challenges.Select(c => c.Description).Concat(vendors.Select(v => v.Profile)).ToList();
        var clock = Stopwatch.StartNew();
        long chars = 0;
        foreach (var text in texts)
        {
            chars += TextNormalizer.Normalize(text).Length;
        }

        Console.WriteLine($"normalise: {clock.Elapsed.TotalMilliseconds:F0} ms for {chars:N0} chars");
        clock.Restart();
        long tokens = 0;
        foreach (var text in texts)
        {
            tokens += Tokenizer.Tokenize(text).Count;
        }

        Console.WriteLine($"normalise+tokenise to strings: {clock.Elapsed.TotalMilliseconds:F0} ms for {tokens:N0} tokens");
        var normalizeBuffer = new char[4096];
        clock.Restart();
        var counting = new CountingSink();
        foreach (var text in texts)
        {
            Tokenizer.TokenizeNormalized(TextNormalizer.Normalize(text, ref normalizeBuffer), counting);
        }

        Console.WriteLine($"normalise into a buffer + tokenise to spans (no strings): {clock.Elapsed.TotalMilliseconds:F0} ms for {counting.Count.Value:N0} tokens");
        var spanVocabulary = new Marketplace.Matching.Indexing.Vocabulary();
        var lookup = new VocabularySink(spanVocabulary);
        clock.Restart();
        foreach (var text in texts)
        {
            Tokenizer.TokenizeNormalized(TextNormalizer.Normalize(text, ref normalizeBuffer), lookup);
        }

        Console.WriteLine($"... + vocabulary GetOrAdd per token: {clock.Elapsed.TotalMilliseconds:F0} ms ({spanVocabulary.Count:N0} terms)");
        var vocabulary = new Marketplace.Matching.Indexing.Vocabulary();
        var all = texts.SelectMany(Tokenizer.Tokenize).ToList();
        clock.Restart();
        long sum = 0;
        foreach (var token in all)
        {
            sum += vocabulary.GetOrAdd(token.AsSpan());
        }

        Console.WriteLine($"vocabulary GetOrAdd x {all.Count:N0}: {clock.Elapsed.TotalMilliseconds:F0} ms ({vocabulary.Count:N0} terms)");
        clock.Restart();
        foreach (var token in all)
        {
            sum += vocabulary.Find(token.AsSpan());
        }

        Console.WriteLine($"vocabulary Find x {all.Count:N0}: {clock.Elapsed.TotalMilliseconds:F0} ms");
        var index = new MatchIndex();
        clock.Restart();
        foreach (var c in challenges)
        {
            index.Upsert(c);
        }

        foreach (var v in vendors)
        {
            index.Upsert(v);
        }

        Console.WriteLine($"analyse+store 4,000 docs: {clock.Elapsed.TotalMilliseconds:F0} ms");
        clock.Restart();
        index.Refresh();
        Console.WriteLine($"snapshot: {clock.Elapsed.TotalMilliseconds:F0} ms, {index.TermCount:N0} terms");
        return 0;
    }

    private readonly struct CountingSink() : ITokenSink
    {
        public StrongBox<long> Count { get; } = new();

        public void Add(ReadOnlySpan<char> token) => Count.Value++;
    }

    private readonly struct VocabularySink(Marketplace.Matching.Indexing.Vocabulary vocabulary) : ITokenSink
    {
        public void Add(ReadOnlySpan<char> token) => vocabulary.GetOrAdd(token);
    }
}
