using System.CommandLine;
using Marketplace.Data;
using Marketplace.Data.Audit;
using Marketplace.Data.Migrations;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Cli;

/// <summary>
/// `marketplace audit verify`: walks the audit log's hash chain (the twin of the officers' page at /audit/verify).
/// Exit code 0 when the chain is intact, 1 at the first broken entry (named), 2 when the database is not migrated.
/// </summary>
public static class AuditCommands
{
    public static Command Create(GlobalOptions global)
    {
        var verify = new Command("verify", "Check the audit log's hash chain; names the first broken entry and exits 1 when there is one. Prints the head hash to keep elsewhere.");
        verify.SetAction(async (parseResult, cancellationToken) =>
        {
            await using var services = global.BuildServices(parseResult);
            var output = parseResult.InvocationConfiguration.Output;
            var error = parseResult.InvocationConfiguration.Error;
            // A check must not write: an unmigrated database is reported, not migrated.
            var pending = await services.GetRequiredService<MigrationRunner>().PendingAsync(cancellationToken);
            if (pending.Count > 0)
            {
                await error.WriteLineAsync($"error: the database lacks {pending.Count} migration(s) ({pending[0].FileName} first); run `marketplace migrate`.");
                return 2;
            }

            var report = await AuditChain.VerifyAsync(services.GetRequiredService<DbConnectionFactory>(), cancellationToken);
            if (report.FirstBreak is { } broken)
            {
                await error.WriteLineAsync($"BROKEN at {(broken.EntryId is { } id ? $"entry #{id}" : "the end of the chain")} (place {broken.Sequence}): {broken.Problem}.");
                output.WriteLine($"{report.Entries} entries read; head {report.HeadSequence} {report.HeadHash}");
                return 1;
            }

            output.WriteLine($"Audit trail intact: {report.Entries} entries, head {report.HeadSequence} {report.HeadHash}");
            return 0;
        });

        return new Command("audit", "The audit log: verify its hash chain.") { verify };
    }
}
