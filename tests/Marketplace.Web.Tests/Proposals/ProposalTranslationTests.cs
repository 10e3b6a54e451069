using System.Reflection;
using System.Xml.Linq;
using Marketplace.Core.Challenges;
using Marketplace.Core.Proposals;
using Marketplace.Core.Features.Proposals;
using Marketplace.Web.Tests.Infrastructure;

namespace Marketplace.Web.Tests.Proposals;

/// <summary>Every message the proposal rules and handlers can show a person has a zh-CN translation.</summary>
public sealed class ProposalTranslationTests
{
    private static HashSet<string> Translated() =>
        XDocument.Load(Path.Combine(MarketplaceFactory.RepositoryRoot, "src", "Marketplace.Web", "Features", "Proposals", "ProposalText.zh-CN.resx"))
            .Root!.Elements("data").Select(d => (string)d.Attribute("name")!).ToHashSet(StringComparer.Ordinal);

    [Fact]
    public void EveryValidationMessage_HasAChineseTranslation()
    {
        var targets = new[] { new AcceptanceTarget("m", "t", "x") };
        var deadline = new DateTimeOffset(2031, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var long9000 = new string('x', 9000);
        var inputs = new[]
        {
            new ProposalInput(),
            new ProposalInput { Approach = long9000, Team = long9000, TargetAnswers = [long9000, "extra"], CurrentTrl = 0, DeliveryTrl = 10, PaymentTerms = long9000, PriceAmount = -1, PriceCurrency = "x", Partners = ["a", "a"] },
            new ProposalInput { CurrentTrl = 8, DeliveryTrl = 5, Partners = ["a", "b", "c", "d", "e"], Milestones = [new MilestoneInput { Name = long9000, DueOn = new DateOnly(2030, 1, 1), Deliverable = long9000, PaymentShare = 0 }] },
            new ProposalInput { Milestones = [new MilestoneInput { Name = "n", DueOn = new DateOnly(2045, 1, 1), Deliverable = "d", PaymentShare = 50 }] },
            new ProposalInput { Milestones = [.. Enumerable.Range(0, 13).Select(_ => new MilestoneInput { Name = "n" })] },
            new ProposalInput { Milestones = [new MilestoneInput { Name = "n" }] },
        };
        var messages = inputs.SelectMany(i => ProposalRules.Validate(i, targets, deadline, complete: true).Error!.FieldErrors!.Values.SelectMany(m => m))
            .Concat(typeof(ProposalRules).GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral && f.FieldType == typeof(string)).Select(f => (string)f.GetValue(null)!))
            .Append(ReviseProposal.ConcurrentChange)
            .Distinct()
            .ToList();

        var translated = Translated();
        Assert.True(messages.Count > 25, $"only {messages.Count} messages collected");
        var missing = messages.Where(m => !translated.Contains(m)).ToList();
        Assert.True(missing.Count == 0, string.Join(Environment.NewLine, missing));
    }
}
