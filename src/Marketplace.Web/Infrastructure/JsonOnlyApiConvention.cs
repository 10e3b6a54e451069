using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ApplicationModels;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.Infrastructure;
using Microsoft.Net.Http.Headers;

namespace Marketplace.Web.Infrastructure;

/// <summary>
/// The JSON API reads JSON bodies only. A request to an [ApiController] that carries a body of another type (a form,
/// XML, plain text) is answered 415 with problem details before model binding looks at it: MVC's form value providers
/// would otherwise parse a form body for the route values and throw on a malformed one (`a[=1`), a 500 (issue #12).
/// A request without a body (most POST actions: submit, publish …) is not affected. A resource filter rather than
/// [Consumes], so the OpenAPI document and action selection stay as they were.
/// </summary>
public sealed class JsonOnlyApiConvention : IControllerModelConvention
{
    public void Apply(ControllerModel controller)
    {
        if (controller.Attributes.OfType<ApiControllerAttribute>().Any())
        {
            controller.Filters.Add(new JsonOnlyFilter());
        }
    }

    /// <summary>application/json, text/json and any application/…+json, as System.Text.Json's input formatter reads.</summary>
    public static bool IsJson(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var media)
        && (media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || media.MediaType.Equals("text/json", StringComparison.OrdinalIgnoreCase)
            || (media.Type.Equals("application", StringComparison.OrdinalIgnoreCase) && media.Suffix.Equals("json", StringComparison.OrdinalIgnoreCase)));

    private sealed class JsonOnlyFilter : IResourceFilter
    {
        public void OnResourceExecuting(ResourceExecutingContext context)
        {
            var request = context.HttpContext.Request;
            var hasBody = request.ContentLength is > 0 || request.Headers.TransferEncoding.Count > 0 || !string.IsNullOrEmpty(request.ContentType);
            if (!hasBody || IsJson(request.ContentType))
            {
                return;
            }

            var factory = context.HttpContext.RequestServices.GetRequiredService<ProblemDetailsFactory>();
            var problem = factory.CreateProblemDetails(context.HttpContext, StatusCodes.Status415UnsupportedMediaType,
                title: ErrorResponses.TitleOf(StatusCodes.Status415UnsupportedMediaType),
                detail: "The API reads JSON: send the body as application/json.");
            context.Result = new ObjectResult(problem) { StatusCode = StatusCodes.Status415UnsupportedMediaType, ContentTypes = { "application/problem+json" } };
        }

        public void OnResourceExecuted(ResourceExecutedContext context)
        {
        }
    }
}
