using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.AspNetCore.Razor.TagHelpers;

namespace Marketplace.Web.Infrastructure;

/// <summary>
/// Gives every POST form its antiforgery token. MVC's form tag helper adds one only when it builds the action
/// itself; a form with a literal action="/…" gets none, and the global antiforgery filter then rejects it with a
/// bare 400. This closes that gap once for all forms, and skips forms that already carry a token.
/// </summary>
[HtmlTargetElement("form", Attributes = "method")]
public sealed class PostFormAntiforgeryTagHelper(IHtmlGenerator generator) : TagHelper
{
    private const string TokenField = "__RequestVerificationToken";

    /// <summary>After MVC's own form tag helper, so its token (if any) is already in place.</summary>
    public override int Order => 1000;

    [ViewContext]
    [HtmlAttributeNotBound]
    public ViewContext ViewContext { get; set; } = null!;

    public override async Task ProcessAsync(TagHelperContext context, TagHelperOutput output)
    {
        var method = output.Attributes.TryGetAttribute("method", out var attribute) ? attribute.Value?.ToString() : null;
        if (!string.Equals(method, "post", StringComparison.OrdinalIgnoreCase)
            || context.AllAttributes.TryGetAttribute("asp-antiforgery", out _)
            || output.PostContent.GetContent().Contains(TokenField, StringComparison.Ordinal)
            || output.PreContent.GetContent().Contains(TokenField, StringComparison.Ordinal))
        {
            return;
        }

        var body = output.IsContentModified ? output.Content : await output.GetChildContentAsync();
        if (!body.GetContent().Contains(TokenField, StringComparison.Ordinal))
        {
            output.PostContent.AppendHtml(generator.GenerateAntiforgery(ViewContext));
        }
    }
}
