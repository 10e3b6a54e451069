namespace Marketplace.Core.Accounts;

/// <summary>
/// One of the five fixed roles (<see cref="Roles"/>), as ASP.NET Core Identity's role manager sees it.
/// The rows come from migration 0001 and are never created or deleted by the application.
/// </summary>
public sealed class AppRole
{
    public int Id { get; set; }

    public string Name { get; set; } = "";

    public string NormalizedName { get; set; } = "";
}
