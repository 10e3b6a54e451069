using System.CommandLine;
using Marketplace.Core.Accounts;
using Marketplace.Core.Application;
using Marketplace.Core.Challenges;
using Marketplace.Core.Features.Email;
using Marketplace.Data.Email;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Cli;

/// <summary>
/// `marketplace email …`: the CLI twins of the e-mail jobs (dispatch, digest) and of the administrator's outbox page
/// (status, retry). The server comes from Smtp__Host / Smtp__Port / Smtp__From (empty host: .eml files in
/// Email__PickupFolder), links from Marketplace__BaseUrl, the same settings the web app reads.
/// </summary>
public static class EmailCommands
{
    public static Command Create(GlobalOptions global)
    {
        var dispatch = new Command("dispatch", "Send the e-mail that is due now (claims batches, so it is safe beside a running app); prints what it did.");
        dispatch.SetAction(async (parseResult, cancellationToken) =>
        {
            await using var services = global.BuildServices(parseResult);
            var report = await services.GetRequiredService<EmailDispatcher>().RunOnceAsync(cancellationToken);
            parseResult.InvocationConfiguration.Output.WriteLine(report.ToString());
            return 0;
        });

        var digest = new Command("digest", "Write today's daily digests (one per user in digest mode with notifications waiting; at most one per user per UTC day). Run dispatch afterwards to send them.");
        digest.SetAction(async (parseResult, cancellationToken) =>
        {
            await using var services = global.BuildServices(parseResult);
            var report = await services.GetRequiredService<EmailDigest>().RunOnceAsync(cancellationToken);
            parseResult.InvocationConfiguration.Output.WriteLine($"{report.Digests} digest(s) written, holding {report.Notifications} notification(s).");
            return 0;
        });

        var status = new Command("status", "Count the outbox's messages per status and list the dead letters with their last error.");
        status.SetAction(async (parseResult, cancellationToken) =>
        {
            await using var services = global.BuildServices(parseResult);
            var overview = await services.GetRequiredService<EmailOutboxStore>().OverviewAsync(50, cancellationToken);
            var output = parseResult.InvocationConfiguration.Output;
            output.WriteLine(string.Join(", ", overview.Counts.Select(c => $"{c.Status} {c.Count}")));
            foreach (var dead in overview.DeadLetters)
            {
                output.WriteLine($"dead #{dead.Id} to {dead.RecipientAddress} after {dead.Attempts} attempt(s): {dead.LastError}");
            }

            return 0;
        });

        var id = new Argument<long>("id") { Description = "The outbox message id (see `marketplace email status`)." };
        var retry = new Command("retry", "Put a dead letter back to pending with its attempts reset.") { id };
        retry.SetAction(async (parseResult, cancellationToken) =>
        {
            await using var services = global.BuildServices(parseResult);
            // The operator at the console acts as an administrator, as with `user add`.
            var result = await services.GetRequiredService<UseCaseRunner>().RunAsync(services.GetRequiredService<RetryDeadLetter>(),
                new Actor(0, [], [Roles.Admin]), parseResult.GetValue(id), cancellationToken);
            if (!result.IsSuccess)
            {
                await parseResult.InvocationConfiguration.Error.WriteLineAsync($"error: {result.Error!.Message}");
                return 1;
            }

            parseResult.InvocationConfiguration.Output.WriteLine($"Message {parseResult.GetValue(id)} is pending again.");
            return 0;
        });

        return new Command("email", "E-mail commands: send the outbox, write the daily digests, inspect and retry dead letters.") { dispatch, digest, status, retry };
    }
}
