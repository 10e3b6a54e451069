using Marketplace.Core.Application;
using Marketplace.Core.Challenges;
using Marketplace.Core.Common;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace Marketplace.Web.Infrastructure;

/// <summary>
/// How pages and API endpoints run a use case: the signed-in person as the actor, the shared runner for the rest.
/// Controllers stay thin adapters: bind the request, run the use case, map the result in one place.
/// </summary>
public sealed class UseCases(UseCaseRunner runner, Viewer viewer)
{
    public async Task<Result<TResult>> RunAsync<TRequest, TResult>(IUseCase<TRequest, TResult> useCase, TRequest request, CancellationToken cancellationToken) =>
        await runner.RunAsync(useCase, await viewer.ActorAsync(cancellationToken), request, cancellationToken);

    /// <summary>For a Core service that runs its own use cases (it is given the signed-in actor): reads outside a transaction, like the reviewer assignment proposal.</summary>
    public async Task<Result<TResult>> RunAsync<TResult>(Func<Actor?, CancellationToken, Task<Result<TResult>>> service, CancellationToken cancellationToken) =>
        await service(await viewer.ActorAsync(cancellationToken), cancellationToken);
}

/// <summary>The one place where a page turns an expected failure into what the person sees.</summary>
public static class PageErrors
{
    /// <summary>
    /// NotFound and Forbidden become the 404 and 403 pages (returned); Invalid and Conflict go into the form's model
    /// state, translated, with the status code set, and null is returned so the caller shows the form again.
    /// Field errors land beside their field (<paramref name="fieldName"/> maps the use case's field to the form's,
    /// under <paramref name="prefix"/>); with neither given, or without field errors, they go to the summary.
    /// A message already shown under the same key is not repeated.
    /// </summary>
    public static IActionResult? Show(this Controller controller, Error error, IStringLocalizer text, string prefix = "", Func<string, string>? fieldName = null)
    {
        switch (error.Kind)
        {
            case ErrorKind.NotFound:
                return controller.NotFound();
            case ErrorKind.Forbidden:
                return controller.Forbid();
        }

        controller.AddToModelState(error, text, prefix, fieldName);
        controller.Response.StatusCode = ErrorResponses.StatusCodeOf(error.Kind);
        return null;
    }

    /// <summary>
    /// Puts a refusal's messages into the form's model state, translated: field errors beside their field (an empty
    /// field name, or no mapping and no prefix, means the summary), otherwise the message in the summary. Every page
    /// form uses this, so a message lands in the same place whichever feature shows it.
    /// </summary>
    public static void AddToModelState(this Controller controller, Error error, IStringLocalizer text, string prefix = "", Func<string, string>? fieldName = null)
    {
        if (error.FieldErrors is { Count: > 0 })
        {
            foreach (var (field, messages) in error.FieldErrors)
            {
                var name = (fieldName ?? (f => f))(field);
                var key = name.Length == 0 || (prefix.Length == 0 && fieldName is null) ? "" : prefix.Length == 0 ? name : $"{prefix}.{name}";
                foreach (var message in messages)
                {
                    AddOnce(controller, key, text[message]);
                }
            }
        }
        else
        {
            AddOnce(controller, "", text[error.Message]);
        }
    }

    private static void AddOnce(Controller controller, string key, string message)
    {
        if (!(controller.ModelState.TryGetValue(key, out var entry) && entry.Errors.Any(e => e.ErrorMessage == message)))
        {
            controller.ModelState.AddModelError(key, message);
        }
    }
}
