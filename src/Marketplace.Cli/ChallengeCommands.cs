using System.CommandLine;
using Marketplace.Data.Challenges;
using Marketplace.Core.Features.Challenges;
using Marketplace.Core.Features.Reviews;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Cli;

/// <summary>`marketplace challenges close-due`: the CLI twin of the job that closes challenges at their deadline.</summary>
public static class ChallengeCommands
{
    public static Command Create(GlobalOptions global)
    {
        var closeDue = new Command("close-due", "Close every published challenge whose deadline has passed (idempotent; notifies the enterprise and following vendors).");
        closeDue.SetAction(async (parseResult, cancellationToken) =>
        {
            await using var services = global.BuildServices(parseResult);
            // CliServices is shared with other commands, so the lifecycle's few services are composed here.
            var closed = await services.GetRequiredService<ChallengeCloser>().CloseDueChallengesAsync(cancellationToken);
            parseResult.InvocationConfiguration.Output.WriteLine(closed == 0
                ? "No challenge is past its deadline."
                : $"{closed} challenge(s) closed.");
            return 0;
        });
        var challengeId = new Argument<long>("challenge-id") { Description = "The closed challenge whose proposals need reviewers." };
        var assign = new Command("assign-reviewers", "Propose and apply an automatic reviewer assignment as the system (the job's twin; idempotent).") { challengeId };
        assign.SetAction(async (parseResult, cancellationToken) =>
        {
            await using var services = global.BuildServices(parseResult);
            var result = await services.GetRequiredService<AutomaticReviewerAssignment>().RunAsync(parseResult.GetValue(challengeId), cancellationToken);
            var output = parseResult.InvocationConfiguration.Output;
            if (!result.IsSuccess)
            {
                parseResult.InvocationConfiguration.Error.WriteLine(result.Error!.Message);
                return 1;
            }

            output.WriteLine($"{result.Value!.Assigned.Count} assignment(s) made, {result.Value.AlreadyAssigned.Count} already there; review started: {result.Value.ReviewStarted}.");
            foreach (var pair in result.Value.Assigned)
            {
                output.WriteLine($"  {pair.ReviewerName} → {pair.VendorName}");
            }

            return 0;
        });
        return new Command("challenges", "Challenge lifecycle commands.") { closeDue, assign };
    }
}
