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
        var applyNow = new Option<bool>("--apply") { Description = "Apply the plan as the system instead of proposing it to the officers." };
        var assign = new Command("assign-reviewers",
            "Propose an automatic reviewer assignment and tell the officers (they confirm it on the plan page), or with --apply assign it as the system. The job's twin; idempotent.")
        {
            challengeId, applyNow,
        };
        assign.SetAction(async (parseResult, cancellationToken) =>
        {
            await using var services = global.BuildServices(parseResult);
            var automatic = services.GetRequiredService<AutomaticReviewerAssignment>();
            var id = parseResult.GetValue(challengeId);
            var output = parseResult.InvocationConfiguration.Output;
            if (!parseResult.GetValue(applyNow))
            {
                var proposed = await automatic.ProposeAsync(id, cancellationToken);
                if (!proposed.IsSuccess)
                {
                    parseResult.InvocationConfiguration.Error.WriteLine(proposed.Error!.Message);
                    return 1;
                }

                var plan = proposed.Value!.Proposed!;
                output.WriteLine($"Proposed {plan.Pairs.Count} assignment(s), {plan.SlotsFilled} of {plan.SlotsNeeded} slots, objective {plan.Objective:0.###}; "
                    + (proposed.Value.OfficersTold ? "the officers were told." : plan.Pairs.Count == 0 ? "nothing to assign." : "the officers had been told before."));
                foreach (var pair in plan.Pairs)
                {
                    output.WriteLine($"  {pair.ReviewerName} → {pair.VendorName} ({pair.Affinity:0.###})");
                }

                return 0;
            }

            var result = await automatic.ApplyAsync(id, cancellationToken);
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
