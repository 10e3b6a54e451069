using Marketplace.Data.Accounts;
using Marketplace.Data.Organisations;

namespace Marketplace.Web.Features.Account;

/// <summary>
/// The register form. Properties are nullable so MVC adds no implicit "required" errors of its own: every
/// message comes from the RegisterOrganisation use case, beside its field.
/// </summary>
public sealed class RegisterForm
{
    public string? Kind { get; set; }
    public string? OrganisationName { get; set; }
    public string? OrganisationNameEn { get; set; }
    public string? DisplayName { get; set; }
    public string? Email { get; set; }
    public string? Password { get; set; }
    public string? ConfirmPassword { get; set; }
}

public sealed class SignInForm
{
    public string? Email { get; set; }
    public string? Password { get; set; }
    public bool RememberMe { get; set; }
    public string? ReturnUrl { get; set; }
}

public sealed class InviteForm
{
    public string? Org { get; set; }
    public string? Email { get; set; }
}

/// <summary>What the organisation page shows: the chosen organisation, its members and, for owners, the invitations.</summary>
public sealed class OrganisationPage
{
    public IReadOnlyList<Membership> Memberships { get; init; } = [];
    public Membership? Current { get; init; }
    public IReadOnlyList<OrganisationMember> Members { get; init; } = [];
    public IReadOnlyList<PendingInvitation> Invitations { get; init; } = [];
    public InviteForm Invite { get; init; } = new();
    public string? NewInvitationLink { get; init; }
    public string? NewInvitationEmail { get; init; }
    public string? Welcome { get; init; }

    public bool IsOwner => Current?.IsOwner == true;
}

public enum InvitationState
{
    Invalid,
    Accepted,
    Expired,
    JoinAsSignedInUser,
    SignInFirst,
    CreateAccount,
}

public sealed class AcceptInvitationForm
{
    public string? DisplayName { get; set; }
    public string? Password { get; set; }
    public string? ConfirmPassword { get; set; }
}

public sealed class InvitationPage
{
    public string Token { get; init; } = "";
    public InvitationState State { get; init; }
    public InvitationDetails? Invitation { get; init; }
    public string? SignedInEmail { get; init; }
    public AcceptInvitationForm Form { get; init; } = new();
}
