using System.CommandLine;
using Marketplace.Core.Accounts;
using Marketplace.Core.Application;
using Marketplace.Core.Features.Accounts;
using Marketplace.Data.Migrations;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Cli;

/// <summary>`marketplace user add`: the way to create officers and administrators.</summary>
public static class UserCommands
{
    public static Command Create(GlobalOptions global)
    {
        var email = new Option<string>("--email") { Description = "The user's e-mail address (also the sign-in name).", Required = true };
        var role = new Option<string>("--role") { Description = $"One of: {string.Join(", ", Roles.All)}.", Required = true };
        var organisation = new Option<string?>("--org") { Description = "Slug of the organisation the user joins (required for Enterprise and Vendor)." };
        var password = new Option<string?>("--password") { Description = "Initial password; when omitted a strong one is generated and printed once." };
        var name = new Option<string?>("--name") { Description = "Display name (default: the part of the e-mail before @)." };

        var add = new Command("add", "Create a user with a role, optionally in an organisation.") { email, role, organisation, password, name };
        add.SetAction(async (parseResult, cancellationToken) =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var error = parseResult.InvocationConfiguration.Error;
            await using var services = global.BuildServices(parseResult);
            try
            {
                await services.GetRequiredService<MigrationRunner>().MigrateAsync(cancellationToken);
            }
            catch (MigrationException ex)
            {
                error.WriteLine($"error: {ex.Message}");
                return 1;
            }

            await using var scope = services.CreateAsyncScope();
            var result = await scope.ServiceProvider.GetRequiredService<UseCaseRunner>().RunAsync(scope.ServiceProvider.GetRequiredService<AddUser>(), null, new AddUserRequest
            {
                Email = parseResult.GetValue(email),
                Role = parseResult.GetValue(role),
                OrganisationSlug = parseResult.GetValue(organisation),
                Password = parseResult.GetValue(password),
                DisplayName = parseResult.GetValue(name),
            }, cancellationToken);

            if (!result.IsSuccess)
            {
                foreach (var (field, messages) in result.Error!.FieldErrors ?? new Dictionary<string, string[]>())
                {
                    foreach (var message in messages)
                    {
                        error.WriteLine($"error: --{field}: {message}");
                    }
                }

                if (result.Error.FieldErrors is not { Count: > 0 })
                {
                    error.WriteLine($"error: {result.Error.Message}");
                }

                return 1;
            }

            var user = result.Value!;
            output.WriteLine($"Created {user.Role} {user.Email} (id {user.UserId})" + (user.OrganisationSlug is null ? "." : $" in {user.OrganisationSlug}{(user.IsOwner ? " as owner" : "")}."));
            if (user.GeneratedPassword is not null)
            {
                output.WriteLine($"Generated password (shown once): {user.GeneratedPassword}");
            }

            return 0;
        });

        return new Command("user", "Manage user accounts.") { add };
    }
}
