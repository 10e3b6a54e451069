using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Dapper;
using Marketplace.Core.Proposals;
using Marketplace.Web.Tests.Infrastructure;
using static Marketplace.Web.Tests.Proposals.ProposalTestKit;

namespace Marketplace.Web.Tests.Security;

/// <summary>
/// Issue #12's leak: before the price envelopes open, the enterprise and officers read a proposal's receipt. Its
/// fingerprint used to be an unsalted SHA-256 over what they can read plus the price, so a guessed price could be
/// confirmed offline. These tests play the attacker: rebuild that formula from what a non-author can read plus the
/// true price (the best guess there is) and look for it in everything they receive.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001:Types that own disposable fields should be disposable", Justification = "xUnit disposes the factory through IAsyncLifetime after each test.")]
public sealed partial class SealedPriceFingerprintTests : IAsyncLifetime
{
    private readonly MarketplaceFactory _factory = new();

    public Task InitializeAsync() => _factory.InitializeAsync();

    public Task DisposeAsync() => _factory.DisposeAsync();

    [GeneratedRegex("[0-9a-f]{64}")]
    private static partial Regex Sha256Hex();

    private sealed record Submitted(long ProposalId, long ChallengeId, long VendorId, DateTimeOffset SubmittedAt, string TechnicalJson, string Fingerprint, string? Salt);

    private async Task<Submitted> SubmitAsync()
    {
        var challenge = await _factory.ChallengeIdAsync(StripChallenge);
        using var vendor = await _factory.ApiClientAsync(Vendor);
        using var created = await vendor.PostAsJsonAsync($"/api/v1/challenges/{challenge}/proposals", ValidRequest(_factory));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var receipt = (await created.JsonAsync()).GetProperty("receipt");
        var id = receipt.GetProperty("proposalId").GetInt64();

        await using var connection = await _factory.Database.Connections.OpenAsync();
        var vendorId = await connection.ExecuteScalarAsync<long>("SELECT vendor_id FROM proposals WHERE id = @Id", new { Id = id });
        var technical = await connection.ExecuteScalarAsync<string>("SELECT technical_content FROM proposal_versions WHERE proposal_id = @Id AND version_number = 1", new { Id = id });
        return new Submitted(id, challenge, vendorId,
            DateTimeOffset.Parse(receipt.GetProperty("submittedAt").GetString()!, CultureInfo.InvariantCulture),
            technical!, receipt.GetProperty("fingerprint").GetString()!, receipt.GetProperty("salt").GetString());
    }

    /// <summary>ValidRequest's true price envelope.</summary>
    private static readonly PriceEnvelope TruePrice = new() { Amount = 980000m, Currency = "CNY", PaymentTerms = "Per accepted milestone, within 30 days." };

    /// <summary>The old formula: what a non-author can read (ids, version, submission time, technical JSON) plus a price.</summary>
    private static string UnsaltedGuess(Submitted p, PriceEnvelope price) =>
        ProposalSeal.Fingerprint(p.ProposalId, 1, p.ChallengeId, p.VendorId, p.SubmittedAt, p.TechnicalJson, price, salt: null);

    /// <summary>Everything the enterprise and an officer receive about the proposal before prices open: API and pages.</summary>
    private async Task<List<string>> WhatNonAuthorsReceiveAsync(Submitted p)
    {
        var bodies = new List<string>();
        foreach (var email in new[] { Enterprise, Officer })
        {
            using var api = await _factory.ApiClientAsync(email);
            foreach (var url in new[] { $"/api/v1/proposals/{p.ProposalId}", $"/api/v1/challenges/{p.ChallengeId}/proposals" })
            {
                using var response = await api.GetAsync(url);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                bodies.Add(await response.Content.ReadAsStringAsync());
            }

            using var browser = await _factory.SignedInBrowserAsync(email);
            foreach (var url in new[] { $"/proposals/{p.ProposalId}", $"/challenges/{p.ChallengeId}/proposals" })
            {
                using var response = await browser.GetAsync(url);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                bodies.Add(await response.Content.ReadAsStringAsync());
            }
        }

        return bodies;
    }

    [Fact]
    public async Task NonAuthor_BeforePricesOpen_CannotConfirmAPriceGuessFromTheReceipt()
    {
        var proposal = await SubmitAsync();

        // The author's receipt keeps its purpose: with the salt only the author holds, it proves content and price.
        Assert.NotNull(proposal.Salt);
        Assert.Equal(proposal.Fingerprint,
            ProposalSeal.Fingerprint(proposal.ProposalId, 1, proposal.ChallengeId, proposal.VendorId, proposal.SubmittedAt, proposal.TechnicalJson, TruePrice, proposal.Salt));

        _factory.PassTheDeadlines();
        var bodies = await WhatNonAuthorsReceiveAsync(proposal);
        var guess = UnsaltedGuess(proposal, TruePrice);
        var received = bodies.SelectMany(b => Sha256Hex().Matches(b).Select(m => m.Value)).ToHashSet();

        Assert.DoesNotContain(guess, received);
        Assert.DoesNotContain(proposal.Salt, received);
        Assert.All(bodies, body => Assert.DoesNotContain(proposal.Salt, body, StringComparison.Ordinal));
        // Whatever fingerprint a non-author sees cannot be rebuilt without the salt: not with the true price, not with the old formula.
        Assert.All(received, hex => Assert.NotEqual(guess, hex));

        using var enterprise = await _factory.ApiClientAsync(Enterprise);
        var view = await (await enterprise.GetAsync($"/api/v1/proposals/{proposal.ProposalId}")).JsonAsync();
        Assert.Equal(JsonValueKind.Null, view.GetProperty("price").ValueKind);
        Assert.Equal(JsonValueKind.Null, view.GetProperty("receipt").GetProperty("salt").ValueKind);
    }

    [Fact]
    public async Task VersionSealedBeforeSalts_IsNotShownToANonAuthorBeforePricesOpen()
    {
        var proposal = await SubmitAsync();
        // A version written before migration 0018: no salt, the unsalted fingerprint.
        var legacy = UnsaltedGuess(proposal, TruePrice);
        await using (var connection = await _factory.Database.Connections.OpenAsync())
        {
            await connection.ExecuteAsync("UPDATE proposal_versions SET seal_salt = NULL, fingerprint = @Fingerprint WHERE proposal_id = @Id",
                new { Fingerprint = legacy, Id = proposal.ProposalId });
        }

        _factory.PassTheDeadlines();
        var bodies = await WhatNonAuthorsReceiveAsync(proposal);
        Assert.All(bodies, body => Assert.DoesNotContain(legacy, body, StringComparison.Ordinal));

        // The author still has the receipt it was given.
        using var vendor = await _factory.ApiClientAsync(Vendor);
        var mine = await (await vendor.GetAsync($"/api/v1/proposals/{proposal.ProposalId}")).JsonAsync();
        Assert.Equal(legacy, mine.GetProperty("receipt").GetProperty("fingerprint").GetString());
    }
}
