using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ApplicationModels;

namespace Marketplace.Web.Infrastructure;

/// <summary>
/// Declares, once for the whole API, the problem responses every use-case endpoint can give, so the OpenAPI document
/// lists them without a stack of attributes on each action: 401/403 where sign-in is required, 400/404/409 on calls
/// that change something (a use case's Invalid, NotFound and Conflict), 404 on reads of one resource. An action that
/// declares a status itself keeps its own declaration.
/// </summary>
public sealed class ApiProblemResponsesConvention : IControllerModelConvention
{
    private static readonly HashSet<string> Writes = new(StringComparer.OrdinalIgnoreCase) { "POST", "PUT", "PATCH", "DELETE" };

    /// <summary>The body of a 200 from an action's return type: Task&lt;ActionResult&lt;T&gt;&gt; → T; none for IActionResult.</summary>
    private static Type? SuccessBody(Type returnType)
    {
        var type = returnType;
        if (type.IsGenericType && (type.GetGenericTypeDefinition() == typeof(Task<>) || type.GetGenericTypeDefinition() == typeof(ValueTask<>)))
        {
            type = type.GetGenericArguments()[0];
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(ActionResult<>))
        {
            return type.GetGenericArguments()[0];
        }

        return typeof(IActionResult).IsAssignableFrom(type) || typeof(IResult).IsAssignableFrom(type) || type == typeof(Task) || type == typeof(void) ? null : type;
    }

    public void Apply(ControllerModel controller)
    {
        if (!controller.Attributes.OfType<ApiControllerAttribute>().Any())
        {
            return;
        }

        foreach (var action in controller.Actions)
        {
            var declared = controller.Filters.Concat(action.Filters).OfType<ProducesResponseTypeAttribute>().Select(p => p.StatusCode).ToHashSet();
            var anonymous = action.Attributes.OfType<IAllowAnonymous>().Any()
                || (controller.Attributes.OfType<IAllowAnonymous>().Any() && !action.Attributes.OfType<IAuthorizeData>().Any());
            var methods = action.Selectors.SelectMany(s => s.EndpointMetadata.OfType<HttpMethodMetadata>()).SelectMany(m => m.HttpMethods).ToList();
            var writes = methods.Any(Writes.Contains);
            var readsOne = !writes && action.Selectors.Any(s => s.AttributeRouteModel?.Template?.Contains('{', StringComparison.Ordinal) == true);

            void Declare(int status, Type type)
            {
                if (declared.Add(status))
                {
                    action.Filters.Add(new ProducesResponseTypeAttribute(type, status));
                }
            }

            // Declaring any response hides the one the framework infers from the return type: declare it too.
            if (!declared.Any(status => status is >= 200 and < 300))
            {
                action.Filters.Add(SuccessBody(action.ActionMethod.ReturnType) is { } body
                    ? new ProducesResponseTypeAttribute(body, StatusCodes.Status200OK)
                    : new ProducesResponseTypeAttribute(StatusCodes.Status200OK));
            }

            if (!anonymous)
            {
                Declare(StatusCodes.Status401Unauthorized, typeof(ProblemDetails));
                Declare(StatusCodes.Status403Forbidden, typeof(ProblemDetails));
            }

            if (writes)
            {
                Declare(StatusCodes.Status400BadRequest, typeof(ValidationProblemDetails));
                Declare(StatusCodes.Status404NotFound, typeof(ProblemDetails));
                Declare(StatusCodes.Status409Conflict, typeof(ProblemDetails));
            }
            else if (readsOne)
            {
                Declare(StatusCodes.Status404NotFound, typeof(ProblemDetails));
            }
        }
    }
}
