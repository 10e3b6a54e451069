using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Marketplace.Web.Infrastructure;

/// <summary>
/// The answer to an exception nobody handled. The exception handler middleware has already logged it with its stack
/// trace; the client gets the status and a trace id to quote, never the exception's type, message or stack.
/// </summary>
public static class UnhandledErrors
{
    /// <summary>A malformed request Kestrel or a body reader refused keeps its 4xx (400, 413 …); anything else is a 500.</summary>
    public static int StatusOf(Exception exception) =>
        exception is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError;

    public static async Task WriteApiProblemAsync(HttpContext context)
    {
        var exception = context.Features.Get<IExceptionHandlerFeature>()?.Error;
        var status = exception is null ? StatusCodes.Status500InternalServerError : StatusOf(exception);
        context.Response.StatusCode = status;
        var problem = new ProblemDetails
        {
            Status = status,
            Title = ErrorResponses.TitleOf(status),
            Detail = status >= 500 ? "The error has been logged. Please try again in a moment." : "The request could not be read.",
        };
        problem.Extensions["traceId"] = context.TraceIdentifier;
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = problem,
        });
    }
}
