using Marketplace.Core.Accounts;
using Marketplace.Core.Application;
using Marketplace.Core.Common;

namespace Marketplace.Core.Features.Accounts;

/// <summary>An owner invites someone by e-mail to join their organisation.</summary>
public sealed record InviteMemberRequest(long OrganisationId, long InvitedByUserId, string? Email);

/// <summary>
/// The new invitation. <see cref="Token"/> exists only here (the database keeps its hash), so the caller must
/// show or send <see cref="AcceptPath"/> now; e-mail delivery comes later, until then the page shows the link.
/// </summary>
public sealed record InvitationCreated(long InvitationId, string Email, string Token, string AcceptPath, DateTimeOffset ExpiresAt);

/// <summary>Whether the inviter owns the organisation and whether the address is already a member's.</summary>
public sealed record InvitationCheck(bool InviterIsOwner, bool AlreadyMember);

/// <summary>Only an owner of the organisation invites; a new invitation replaces any open one for the same address.</summary>
public sealed class InviteMember(IAccountStore accounts, IAccountIdentity identity) : UseCase<InviteMemberRequest, InvitationCheck, string, InvitationCreated>
{
    public const string NotOwner = "Only an owner of the organisation can invite members.";
    public const string AlreadyMember = "This person is already a member of your organisation.";

    public static string AcceptPathFor(string token) => $"/account/invitations/{token}";

    protected override async Task<InvitationCheck?> LoadAsync(UseCaseContext context, InviteMemberRequest request, CancellationToken cancellationToken)
    {
        var owner = await accounts.IsOwnerAsync(context.Work, request.InvitedByUserId, request.OrganisationId, cancellationToken);
        var email = AccountValidation.CleanedEmail(request.Email);
        var member = owner && email is not null
            && await accounts.HasMemberWithEmailAsync(context.Work, request.OrganisationId, identity.NormalizeEmail(email), cancellationToken);
        return new InvitationCheck(owner, member);
    }

    /// <summary>The address is checked first, as the form shows it beside the field whoever sends it.</summary>
    protected override Error? Authorise(UseCaseContext context, InviteMemberRequest request, InvitationCheck? state)
    {
        var errors = new ValidationErrors();
        if (AccountValidation.Email(errors, nameof(request.Email), request.Email) is null)
        {
            return errors.ToError();
        }

        return state is { InviterIsOwner: true } ? null : Error.Forbidden(NotOwner);
    }

    protected override Result<string> Decide(UseCaseContext context, InviteMemberRequest request, InvitationCheck state) =>
        state.AlreadyMember
            ? Error.Invalid(nameof(request.Email), AlreadyMember)
            : AccountValidation.CleanedEmail(request.Email)!;

    protected override async Task<Result<InvitationCreated>> ApplyAsync(UseCaseContext context, InviteMemberRequest request, InvitationCheck state, string email,
        CancellationToken cancellationToken)
    {
        var token = Secrets.NewToken();
        var expiresAt = context.Now + AccountRules.InvitationLifetime;
        var id = await accounts.ReplaceInvitationAsync(context.Work, request.OrganisationId, email, Secrets.HashToken(token), request.InvitedByUserId, context.Now, expiresAt,
            cancellationToken);
        return new InvitationCreated(id, email, token, AcceptPathFor(token), expiresAt);
    }
}

/// <summary>
/// Someone follows an invitation link. With <see cref="ExistingUserId"/> (they are signed in) the account
/// joins the organisation; otherwise a new account is made for the invited address with the name and
/// password given. Either way the member gets the organisation's role (enterprise → Enterprise, vendor → Vendor).
/// </summary>
public sealed record AcceptInvitationRequest
{
    public string Token { get; init; } = "";
    public long? ExistingUserId { get; init; }
    [SingleLine]
    public string? DisplayName { get; init; }
    public string? Password { get; init; }
    public string? ConfirmPassword { get; init; }
    public string? PreferredLanguage { get; init; }
}

public sealed record AcceptedInvitation(long UserId, long OrganisationId, string OrganisationSlug, string OrganisationName, bool AccountCreated);

/// <summary>
/// The invitation, and who accepts it: the signed-in account (<see cref="Existing"/>, null when it no longer exists),
/// or the account to create for the invited address with the password's broken rules.
/// </summary>
public sealed record InvitationCandidate(StoredInvitation Invitation, AppUser? Existing, bool EmailTaken, AppUser? NewUser, IReadOnlyList<FieldMessage> PasswordProblems);

/// <summary>Anyone holding the link accepts it, once, before it expires.</summary>
public sealed class AcceptInvitation(IAccountStore accounts, IAccountIdentity identity)
    : UseCase<AcceptInvitationRequest, InvitationCandidate, AppUser, AcceptedInvitation>
{
    public const string InvalidLink = "This invitation link is not valid. Check that you copied all of it.";
    public const string AlreadyUsed = "This invitation has already been accepted.";
    public const string Expired = "This invitation has expired. Ask the organisation's owner to send a new one.";
    public const string AccountExists = "An account with this e-mail address already exists. Sign in to accept the invitation.";
    public const string AccountGone = "Your account no longer exists. Sign out and try again.";

    protected override async Task<InvitationCandidate?> LoadAsync(UseCaseContext context, AcceptInvitationRequest request, CancellationToken cancellationToken)
    {
        var invitation = await accounts.FindInvitationAsync(context.Work, Secrets.HashToken(request.Token ?? ""), cancellationToken);
        if (invitation is null)
        {
            return null;
        }

        if (request.ExistingUserId is { } userId)
        {
            return new InvitationCandidate(invitation, await identity.FindUserAsync(context.Work, userId, cancellationToken), false, null, []);
        }

        var user = new AppUser
        {
            UserName = invitation.Email,
            Email = invitation.Email,
            DisplayName = AccountValidation.DisplayName(new ValidationErrors(), "", request.DisplayName) ?? "",
            PreferredLanguage = AccountRules.Language(request.PreferredLanguage),
            CreatedAt = context.Now,
        };
        var emailTaken = await identity.EmailTakenAsync(context.Work, invitation.Email, cancellationToken);
        var problems = await AccountValidation.PasswordProblemsAsync(identity, user, request.Password, nameof(request.Password));
        return new InvitationCandidate(invitation, null, emailTaken, user, problems);
    }

    protected override Error? Authorise(UseCaseContext context, AcceptInvitationRequest request, InvitationCandidate? candidate) =>
        candidate is null ? Error.NotFound(InvalidLink) : null;

    /// <summary>The account that joins: the signed-in one, or the one to create.</summary>
    protected override Result<AppUser> Decide(UseCaseContext context, AcceptInvitationRequest request, InvitationCandidate candidate)
    {
        if (candidate.Invitation.AcceptedAt is not null)
        {
            return Error.Conflict(AlreadyUsed);
        }

        if (context.Now >= candidate.Invitation.ExpiresAt)
        {
            return Error.Conflict(Expired);
        }

        if (request.ExistingUserId is not null)
        {
            return candidate.Existing is { } existing ? existing : Error.NotFound(AccountGone);
        }

        if (candidate.EmailTaken)
        {
            return Error.Conflict(AccountExists);
        }

        var errors = new ValidationErrors();
        AccountValidation.DisplayName(errors, nameof(request.DisplayName), request.DisplayName);
        AccountValidation.Password(errors, nameof(request.Password), request.Password, candidate.PasswordProblems, nameof(request.ConfirmPassword), request.ConfirmPassword);
        return errors.IsEmpty ? candidate.NewUser! : errors.ToError();
    }

    protected override async Task<Result<AcceptedInvitation>> ApplyAsync(UseCaseContext context, AcceptInvitationRequest request, InvitationCandidate candidate,
        AppUser user, CancellationToken cancellationToken)
    {
        var invitation = candidate.Invitation;
        var created = request.ExistingUserId is null;
        if (created && await identity.CreateAsync(context.Work, user, request.Password!, "Email", nameof(request.Password), cancellationToken) is { } notCreated)
        {
            return notCreated;
        }

        var role = AccountRules.RoleFor(invitation.OrganisationKind);
        if (!await identity.IsInRoleAsync(context.Work, user, role, cancellationToken)
            && await identity.AddToRoleAsync(context.Work, user, role, "Email", nameof(request.Password), cancellationToken) is { } notInRole)
        {
            return notInRole;
        }

        await accounts.AddMemberAsync(context.Work, invitation.OrganisationId, user.Id, isOwner: false, cancellationToken);
        if (!await accounts.MarkAcceptedAsync(context.Work, invitation.Id, context.Now, cancellationToken))
        {
            return Error.Conflict(AlreadyUsed);
        }

        return new AcceptedInvitation(user.Id, invitation.OrganisationId, invitation.OrganisationSlug, invitation.OrganisationName, created);
    }
}
