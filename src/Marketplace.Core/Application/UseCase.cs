using Marketplace.Core.Common;

namespace Marketplace.Core.Application;

/// <summary>A use case as the runner sees it: run inside a transaction the runner owns.</summary>
public interface IUseCase<in TRequest, TResult>
{
    Task<Result<TResult>> ExecuteAsync(UseCaseContext context, TRequest request, CancellationToken cancellationToken);
}

/// <summary>
/// The one shape of every use case: load → authorise → decide → apply. Audit entries and notifications are recorded
/// on the context during apply and written by the runner before it commits. Any Error from any step rolls back.
/// </summary>
/// <typeparam name="TRequest">What the caller asks for (ids, form values).</typeparam>
/// <typeparam name="TState">What the decision needs, read inside the transaction.</typeparam>
/// <typeparam name="TDecision">What the Core rule decided (a transition, a validated value).</typeparam>
/// <typeparam name="TResult">What the caller gets back.</typeparam>
public abstract class UseCase<TRequest, TState, TDecision, TResult> : IUseCase<TRequest, TResult>
    where TState : class
{
    /// <summary>Reads what the decision needs; null when the subject does not exist.</summary>
    protected abstract Task<TState?> LoadAsync(UseCaseContext context, TRequest request, CancellationToken cancellationToken);

    /// <summary>Who may do this, from one access policy: null allows; NotFound hides what the actor may not see. Must refuse a null state.</summary>
    protected abstract Error? Authorise(UseCaseContext context, TRequest request, TState? state);

    /// <summary>The rule itself, without I/O: usually one call to a Core state machine or validator.</summary>
    protected abstract Result<TDecision> Decide(UseCaseContext context, TRequest request, TState state);

    /// <summary>Writes the decision (guarded, so a lost race is a Conflict), recording audit entries and notifications on the context.</summary>
    protected abstract Task<Result<TResult>> ApplyAsync(UseCaseContext context, TRequest request, TState state, TDecision decision, CancellationToken cancellationToken);

    public async Task<Result<TResult>> ExecuteAsync(UseCaseContext context, TRequest request, CancellationToken cancellationToken)
    {
        var state = await LoadAsync(context, request, cancellationToken);
        if (Authorise(context, request, state) is { } denied)
        {
            return denied;
        }

        if (state is null)
        {
            throw new InvalidOperationException($"{GetType().Name} authorised a subject that does not exist.");
        }

        var decision = Decide(context, request, state);
        if (!decision.IsSuccess)
        {
            return decision.Error!;
        }

        return await ApplyAsync(context, request, state, decision.Value!, cancellationToken);
    }
}
