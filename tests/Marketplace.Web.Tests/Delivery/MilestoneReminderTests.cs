using Marketplace.Core.Notifications;
using Marketplace.Core.Features.Notifications;
using Marketplace.Testing;
using Marketplace.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static Marketplace.Web.Tests.Delivery.DeliveryTestKit;
using static Marketplace.Web.Tests.Proposals.ProposalTestKit;

namespace Marketplace.Web.Tests.Delivery;

/// <summary>"A milestone is due": once per milestone and due date, to both parties, only within the reminder window.</summary>
public sealed class MilestoneReminderTests
{
    [Theory, OnEngine(TestEngines.Sqlite), OnEngine(TestEngines.Postgres)]
    public async Task MilestoneDue_RemindsBothPartiesOnce_WhenItIsWithinAWeek(string engine)
    {
        var factory = engine == TestEngines.Postgres ? new PostgresMarketplaceFactory() : new MarketplaceFactory();
        await factory.InitializeAsync();
        try
        {
            // The proposal's first milestone is due 60 days after submission; the award passes 46 of them.
            var (challengeId, _) = await AwardAsync(factory, StripChallenge, Vendor);
            await StartDeliveryAsync(factory, challengeId);
            var reminders = factory.Services.GetRequiredService<DueReminders>();

            await reminders.SendMilestoneRemindersAsync();
            var tooEarly = await factory.NotificationCountAsync(Vendor, NotificationKinds.MilestoneDue);
            factory.Clock.Advance(TimeSpan.FromDays(8));
            var first = await reminders.SendMilestoneRemindersAsync();
            var again = await reminders.SendMilestoneRemindersAsync();

            Assert.Equal(0, tooEarly);
            Assert.Equal(1, first);
            Assert.Equal(0, again);
            Assert.Equal(1, await factory.NotificationCountAsync(Vendor, NotificationKinds.MilestoneDue));
            Assert.Equal(1, await factory.NotificationCountAsync(Enterprise, NotificationKinds.MilestoneDue));
            Assert.Equal(0, await factory.NotificationCountAsync(OtherVendor, NotificationKinds.MilestoneDue));
            Assert.Equal(0, await factory.NotificationCountAsync(OtherEnterprise, NotificationKinds.MilestoneDue));
        }
        finally
        {
            await factory.DisposeAsync();
        }
    }
}
