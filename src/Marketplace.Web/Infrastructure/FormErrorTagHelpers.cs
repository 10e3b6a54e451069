using System.Text.Encodings.Web;
using Marketplace.Web.Features.Shared;
using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.AspNetCore.Mvc.TagHelpers;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.AspNetCore.Razor.TagHelpers;
using Microsoft.Extensions.Localization;

namespace Marketplace.Web.Infrastructure;

/// <summary>
/// How a failed save is shown, the same on every form: a summary at the top listing every message (each field's a
/// link to its field), and each field marked invalid and tied to its own message. A field's message is the element
/// carrying <c>data-field="key"</c> (the model-state key); it gets the id <see cref="MessageId"/>, and the control
/// whose name is that key gets <c>aria-invalid</c> and <c>aria-describedby</c> pointing at it. Keys compare without
/// case, so the proposal form's camelCase keys (milestones[0].name) meet its controls' names (Milestones[0].Name).
/// wwwroot/js/forms.js moves the focus to the summary.
/// </summary>
public static class FormErrors
{
    /// <summary>The id of a field's message element.</summary>
    public static string MessageId(string key) => "error-" + TagBuilder.CreateSanitizedId(key.ToLowerInvariant(), "_");

    /// <summary>The id of the control a key names, as MVC's tag helpers write it (asp-for) or the forms that name ids after the field.</summary>
    public static string ControlId(string key) => TagBuilder.CreateSanitizedId(key, "_");

    /// <summary>aria-invalid and aria-describedby for a control of a field with errors (nothing when it has none).</summary>
    public static IHtmlContent Attributes(ModelStateDictionary state, string name) =>
        ErrorKeyFor(state, name) is { } key
            ? new HtmlString($"aria-invalid=\"true\" aria-describedby=\"{HtmlEncoder.Default.Encode(MessageId(key))}\"")
            : HtmlString.Empty;

    /// <summary>The model-state key with errors for a control's name, whatever its case; null when the field is valid.</summary>
    public static string? ErrorKeyFor(ModelStateDictionary state, string name)
    {
        foreach (var (key, entry) in state)
        {
            if (entry.Errors.Count > 0 && string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
            {
                return key;
            }
        }

        return null;
    }
}

/// <summary>
/// Marks a control bound with asp-for whose field has errors: Bootstrap's is-invalid, aria-invalid and aria-describedby
/// its message. Forms written without asp-for (the proposal form) write the same attributes with <see cref="FormErrors.Attributes"/>.
/// </summary>
[HtmlTargetElement("input", Attributes = "asp-for")]
[HtmlTargetElement("select", Attributes = "asp-for")]
[HtmlTargetElement("textarea", Attributes = "asp-for")]
public sealed class FieldErrorTagHelper : TagHelper
{
    [HtmlAttributeNotBound]
    [ViewContext]
    public ViewContext? ViewContext { get; set; }

    /// <summary>After MVC's input tag helper, which writes the name of an asp-for control.</summary>
    public override int Order => 1000;

    public override void Process(TagHelperContext context, TagHelperOutput output)
    {
        var state = ViewContext?.ViewData.ModelState;
        if (state is null || state.IsValid || !output.Attributes.TryGetAttribute("name", out var nameAttribute)
            || output.Attributes.TryGetAttribute("type", out var type) && type.Value?.ToString() is "hidden" or "submit")
        {
            return;
        }

        var name = Text(nameAttribute.Value);
        if (string.IsNullOrEmpty(name))
        {
            return;
        }

        // A row of a list (AcceptanceTargets[1].Metric) is also tied to the list's own message ("give at least one
        // target"), so that message, listed in the summary, leads to the fields it is about.
        var bracket = name.IndexOf('[', StringComparison.Ordinal);
        var keys = new[] { FormErrors.ErrorKeyFor(state, name), bracket > 0 ? FormErrors.ErrorKeyFor(state, name[..bracket]) : null }.OfType<string>().ToList();
        if (keys.Count == 0)
        {
            return;
        }

        output.AddClass("is-invalid", HtmlEncoder.Default);
        output.Attributes.SetAttribute("aria-invalid", "true");
        var describedBy = output.Attributes.TryGetAttribute("aria-describedby", out var existing) ? Text(existing.Value) + " " : "";
        output.Attributes.SetAttribute("aria-describedby", describedBy + string.Join(" ", keys.Select(FormErrors.MessageId)));
    }

    internal static string Text(object? value)
    {
        switch (value)
        {
            case null:
                return "";
            case string text:
                return text;
            case IHtmlContent html:
                using (var writer = new StringWriter())
                {
                    html.WriteTo(writer, NullHtmlEncoder.Default);
                    return writer.ToString();
                }

            default:
                return value.ToString() ?? "";
        }
    }
}

/// <summary>Gives a field's message element (<c>data-field="key"</c>) the id its control's aria-describedby names.</summary>
[HtmlTargetElement(Attributes = "data-field")]
public sealed class FieldMessageTagHelper : TagHelper
{
    public override void Process(TagHelperContext context, TagHelperOutput output)
    {
        if (!output.Attributes.ContainsName("id") && output.Attributes.TryGetAttribute("data-field", out var field)
            && FieldErrorTagHelper.Text(field.Value) is { Length: > 0 } key)
        {
            output.Attributes.SetAttribute("id", FormErrors.MessageId(key));
        }
    }
}

/// <summary>
/// <c>&lt;error-summary /&gt;</c>: after a failed save, every message of the form at the top, in one alert the script
/// focuses: the form's own messages first, then each field's as a link to the field. Renders nothing when the
/// model state is valid. Other attributes (data-testid …) are kept.
/// </summary>
[HtmlTargetElement("error-summary", TagStructure = TagStructure.WithoutEndTag)]
public sealed class ErrorSummaryTagHelper(IStringLocalizer<SharedText> text) : TagHelper
{
    [HtmlAttributeNotBound]
    [ViewContext]
    public ViewContext? ViewContext { get; set; }

    public override void Process(TagHelperContext context, TagHelperOutput output)
    {
        var state = ViewContext?.ViewData.ModelState;
        var messages = state is null
            ? []
            : state.Where(e => e.Value is { Errors.Count: > 0 })
                .OrderBy(e => e.Key.Length == 0 ? 0 : 1)
                .SelectMany(e => e.Value!.Errors.Select(error => (e.Key, error.ErrorMessage)))
                .Where(m => m.ErrorMessage.Length > 0)
                .DistinctBy(m => (m.Key, m.ErrorMessage))
                .ToList();
        if (messages.Count == 0)
        {
            output.SuppressOutput();
            return;
        }

        output.TagName = "div";
        output.TagMode = TagMode.StartTagAndEndTag;
        output.AddClass("alert", HtmlEncoder.Default);
        output.AddClass("alert-danger", HtmlEncoder.Default);
        // ASP.NET's own class for a summary with errors: scripts and tests that know MVC's summary find this one.
        output.AddClass("validation-summary-errors", HtmlEncoder.Default);
        output.Attributes.SetAttribute("role", "alert");
        output.Attributes.SetAttribute("tabindex", "-1");
        output.Attributes.SetAttribute("data-error-summary", "");
        output.Attributes.SetAttribute("aria-labelledby", "error-summary-title");

        var title = messages.Count == 1 ? text["Please correct this before saving:"] : text["Please correct these {0} points before saving:", messages.Count];
        output.Content.AppendHtml("<p class=\"fw-semibold mb-1\" id=\"error-summary-title\">").Append(title).AppendHtml("</p><ul class=\"mb-0\">");
        foreach (var (key, message) in messages)
        {
            output.Content.AppendHtml("<li>");
            if (key.Length == 0)
            {
                output.Content.Append(message);
            }
            else
            {
                output.Content.AppendHtml($"<a class=\"alert-link fw-normal\" href=\"#{FormErrors.ControlId(key)}\" data-error-for=\"{HtmlEncoder.Default.Encode(key)}\">")
                    .Append(message).AppendHtml("</a>");
            }

            output.Content.AppendHtml("</li>");
        }

        output.Content.AppendHtml("</ul>");
    }
}
