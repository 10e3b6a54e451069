using System.CommandLine;
using Marketplace.Cli;

var global = new GlobalOptions();
var root = new RootCommand("marketplace: administer the Marketplace database and run the matcher in bulk.");
root.Options.Add(global.Provider);
root.Options.Add(global.Connection);
root.Subcommands.Add(DatabaseCommands.Migrate(global));
root.Subcommands.Add(DatabaseCommands.Seed(global));
root.Subcommands.Add(UserCommands.Create(global));
root.Subcommands.Add(MatcherCommands.Create(global));
root.Subcommands.Add(ChallengeCommands.Create(global));
root.Subcommands.Add(NotificationCommands.Create(global));
root.Subcommands.Add(EmailCommands.Create(global));
root.Subcommands.Add(JobCommands.Create(global));
root.Subcommands.Add(AuditCommands.Create(global));
root.Subcommands.Add(Marketplace.Cli.Matching.MatchCommand.Create());
root.Subcommands.Add(Marketplace.Cli.Matching.EvalCommand.Create());

try
{
    // Our own handler below reports configuration errors in one line instead of a stack trace.
    return await root.Parse(args).InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
}
catch (ArgumentException ex)
{
    // Bad configuration values (an unknown provider, an empty connection string) are the user's to fix.
    await Console.Error.WriteLineAsync($"error: {ex.Message}");
    return 2;
}
