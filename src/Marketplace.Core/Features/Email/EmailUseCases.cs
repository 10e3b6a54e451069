using Marketplace.Core.Accounts;
using Marketplace.Core.Application;
using Marketplace.Core.Common;

namespace Marketplace.Core.Features.Email;

/// <summary>What the e-mail use cases read and write, inside the runner's transaction.</summary>
public interface IEmailPreferenceStore
{
    /// <summary>The user's stored preferences, or null when they never changed them (the defaults apply).</summary>
    Task<EmailPreferences?> LoadAsync(IUnitOfWork work, long userId, CancellationToken cancellationToken);

    Task SaveAsync(IUnitOfWork work, long userId, EmailPreferences preferences, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>The user an unsubscribe token belongs to, or null.</summary>
    Task<long?> UserOfTokenAsync(IUnitOfWork work, string token, CancellationToken cancellationToken);

    /// <summary>Turns all e-mail off for the user and suppresses what still waits to be sent to them.</summary>
    Task UnsubscribeAsync(IUnitOfWork work, long userId, DateTimeOffset at, CancellationToken cancellationToken);
}

/// <summary>The outbox's administrative writes.</summary>
public interface IEmailOutboxAdminStore
{
    /// <summary>The status of one outbox row, or null when there is none.</summary>
    Task<string?> StatusOfAsync(IUnitOfWork work, long messageId, CancellationToken cancellationToken);

    /// <summary>Puts a dead letter back to pending with its attempts reset; false when it is no longer dead.</summary>
    Task<bool> RetryAsync(IUnitOfWork work, long messageId, DateTimeOffset at, CancellationToken cancellationToken);
}

/// <summary>The signed-in user's e-mail choices: single mails or a daily digest, the kinds they want, or none at all.</summary>
public sealed record EmailPreferenceChange(string Mode, IReadOnlyCollection<string> KindsOn, bool AllEmail);

/// <summary>Saves the signed-in user's own e-mail preferences.</summary>
public sealed class SaveEmailPreferences(IEmailPreferenceStore store)
    : UseCase<EmailPreferenceChange, EmailPreferences, EmailPreferences, EmailPreferences>
{
    protected override async Task<EmailPreferences?> LoadAsync(UseCaseContext context, EmailPreferenceChange request, CancellationToken cancellationToken) =>
        context.Actor is null ? null : await store.LoadAsync(context.Work, context.Actor.UserId, cancellationToken) ?? EmailPreferences.Default;

    protected override Error? Authorise(UseCaseContext context, EmailPreferenceChange request, EmailPreferences? state) =>
        context.Actor is null || state is null ? Error.Forbidden("Sign in to change your e-mail settings.") : null;

    protected override Result<EmailPreferences> Decide(UseCaseContext context, EmailPreferenceChange request, EmailPreferences state)
    {
        if (request.Mode is not (EmailMode.EachNotification or EmailMode.Digest))
        {
            return Error.Invalid("mode", "Choose single e-mails or a daily digest.");
        }

        var unknown = request.KindsOn.Except(EmailKinds.Notifiable, StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
        {
            return Error.Invalid("kinds", "Unknown notification kind: " + string.Join(", ", unknown));
        }

        var off = EmailKinds.Notifiable.Except(request.KindsOn, StringComparer.Ordinal).ToHashSet(StringComparer.Ordinal);
        return new EmailPreferences(request.Mode, !request.AllEmail, off);
    }

    protected override async Task<Result<EmailPreferences>> ApplyAsync(UseCaseContext context, EmailPreferenceChange request, EmailPreferences state,
        EmailPreferences decision, CancellationToken cancellationToken)
    {
        await store.SaveAsync(context.Work, context.Person.UserId, decision, context.Now, cancellationToken);
        return decision;
    }
}

/// <summary>Whose link it is.</summary>
public sealed record UnsubscribeSubject(long UserId);

/// <summary>The one-click unsubscribe: the token in the link is the only credential, so it works without signing in.</summary>
public sealed class Unsubscribe(IEmailPreferenceStore store) : UseCase<string, UnsubscribeSubject, bool, bool>
{
    public const string InvalidLink = "This unsubscribe link is not valid.";

    protected override async Task<UnsubscribeSubject?> LoadAsync(UseCaseContext context, string request, CancellationToken cancellationToken) =>
        string.IsNullOrWhiteSpace(request) || request.Length > 64 ? null
            : await store.UserOfTokenAsync(context.Work, request, cancellationToken) is { } userId ? new UnsubscribeSubject(userId) : null;

    protected override Error? Authorise(UseCaseContext context, string request, UnsubscribeSubject? state) =>
        state is null ? Error.NotFound(InvalidLink) : null;

    protected override Result<bool> Decide(UseCaseContext context, string request, UnsubscribeSubject state) => true;

    protected override async Task<Result<bool>> ApplyAsync(UseCaseContext context, string request, UnsubscribeSubject state, bool decision, CancellationToken cancellationToken)
    {
        await store.UnsubscribeAsync(context.Work, state.UserId, context.Now, cancellationToken);
        return true;
    }
}

/// <summary>The outbox row an administrator acts on.</summary>
public sealed record OutboxRowState(long Id, string Status);

/// <summary>An administrator sends a dead letter again: back to pending, attempts reset.</summary>
public sealed class RetryDeadLetter(IEmailOutboxAdminStore store) : UseCase<long, OutboxRowState, bool, bool>
{
    protected override async Task<OutboxRowState?> LoadAsync(UseCaseContext context, long request, CancellationToken cancellationToken) =>
        await store.StatusOfAsync(context.Work, request, cancellationToken) is { } status ? new OutboxRowState(request, status) : null;

    protected override Error? Authorise(UseCaseContext context, long request, OutboxRowState? state) =>
        context.Actor is not { } actor || !actor.Roles.Contains(Roles.Admin) ? Error.Forbidden("Only administrators manage the e-mail outbox.")
        : state is null ? Error.NotFound($"There is no e-mail message {request}.")
        : null;

    protected override Result<bool> Decide(UseCaseContext context, long request, OutboxRowState state) =>
        state.Status == EmailStatus.Dead ? true : Error.Conflict($"Message {request} is {state.Status}, not a dead letter: only dead letters are retried.");

    protected override async Task<Result<bool>> ApplyAsync(UseCaseContext context, long request, OutboxRowState state, bool decision, CancellationToken cancellationToken) =>
        await store.RetryAsync(context.Work, request, context.Now, cancellationToken)
            ? true
            : Error.Conflict(UseCaseRunner.ConcurrentChangeMessage);
}
