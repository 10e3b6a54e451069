using Marketplace.Core.Common;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace Marketplace.Web.Infrastructure;

/// <summary>The one place where an expected failure (<see cref="Error"/>) becomes an HTTP answer in the API.</summary>
public static class ErrorResponses
{
    public static int StatusCodeOf(ErrorKind kind) => kind switch
    {
        ErrorKind.Invalid => StatusCodes.Status400BadRequest,
        ErrorKind.NotFound => StatusCodes.Status404NotFound,
        ErrorKind.Forbidden => StatusCodes.Status403Forbidden,
        _ => StatusCodes.Status409Conflict,
    };

    /// <summary>The one title every problem with this status carries (null: leave the framework's).</summary>
    public static string? TitleOf(int status) => status switch
    {
        StatusCodes.Status400BadRequest => "The request is not valid",
        StatusCodes.Status401Unauthorized => "Sign-in required",
        StatusCodes.Status403Forbidden => "Not allowed",
        StatusCodes.Status404NotFound => "Not found",
        StatusCodes.Status409Conflict => "Conflict with the current state",
        StatusCodes.Status415UnsupportedMediaType => "Unsupported content type",
        StatusCodes.Status429TooManyRequests => "Too many requests",
        StatusCodes.Status500InternalServerError => "Server error",
        StatusCodes.Status503ServiceUnavailable => "Service unavailable",
        _ => null,
    };

    /// <summary>RFC 7807 problem details: a validation problem with per-field errors, or a plain problem.</summary>
    public static ActionResult ToProblem(this ControllerBase controller, Error error)
    {
        if (error.Kind == ErrorKind.Invalid && error.FieldErrors is { Count: > 0 })
        {
            var state = new ModelStateDictionary();
            foreach (var (field, messages) in error.FieldErrors)
            {
                foreach (var message in messages)
                {
                    state.AddModelError(field, message);
                }
            }

            return controller.ValidationProblem(state);
        }

        return controller.Problem(detail: error.Message, statusCode: StatusCodeOf(error.Kind));
    }

    /// <summary>The API's answer to a use case: the value (200), or the problem.</summary>
    public static ActionResult<T> ToResponse<T>(this ControllerBase controller, Result<T> result) =>
        result.IsSuccess ? result.Value! : controller.ToProblem(result.Error!);

    /// <summary>The API's answer to a use case that creates something: 201 with the new resource's Location, or the problem.</summary>
    public static ActionResult ToCreated<T>(this ControllerBase controller, Result<T> result, Func<T, string> location, Func<T, object?>? body = null) =>
        result.IsSuccess ? controller.Created(location(result.Value!), (body ?? (v => v))(result.Value!)) : controller.ToProblem(result.Error!);

    /// <summary>Copies field errors into MVC model state so a form shows them beside its fields.</summary>
    public static void AddTo(this Error error, ModelStateDictionary modelState)
    {
        if (error.FieldErrors is { Count: > 0 })
        {
            foreach (var (field, messages) in error.FieldErrors)
            {
                foreach (var message in messages)
                {
                    modelState.AddModelError(field, message);
                }
            }
        }
        else
        {
            modelState.AddModelError(string.Empty, error.Message);
        }
    }
}
