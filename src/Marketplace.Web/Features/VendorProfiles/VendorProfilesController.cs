using Marketplace.Core.Common;
using Marketplace.Core.Features.Vendors;
using Marketplace.Core.Vendors;
using Marketplace.Data.Vendors;
using Marketplace.Web.Infrastructure;
using Marketplace.Web.Infrastructure.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace Marketplace.Web.Features.VendorProfiles;

/// <summary>Resource anchor for the profile editor's pages and messages (VendorProfileText.zh-CN.resx). Keys are the English text.</summary>
public sealed class VendorProfileText;

/// <summary>The capability profile form (names as the use case's fields, capitalised).</summary>
public sealed class VendorProfileForm
{
    // No default: the select always posts a language, so a post without one is refused, not saved as Chinese.
    public string? Language { get; set; }
    public string? Summary { get; set; }
    public int? MaxTrlDelivered { get; set; }
    public List<string> Capabilities { get; set; } = [];
    public List<string> Industries { get; set; } = [];

    public SaveVendorProfileRequest ToRequest() => new()
    {
        Language = Language, Summary = Summary, MaxTrlDelivered = MaxTrlDelivered, Capabilities = Capabilities, Industries = Industries,
    };

    public static VendorProfileForm From(VendorProfileEditor editor) => new()
    {
        Language = editor.Language, Summary = editor.Summary, MaxTrlDelivered = editor.MaxTrlDelivered,
        Capabilities = [.. editor.Capabilities], Industries = [.. editor.Industries],
    };
}

/// <summary>One portfolio case's form.</summary>
public sealed class PortfolioCaseForm
{
    public long? Id { get; set; }
    public string? Title { get; set; }
    public string? Client { get; set; }
    public string? Industry { get; set; }
    public int? Year { get; set; }
    public string? Body { get; set; }
    public string? Outcome { get; set; }
    public int? Trl { get; set; }

    public PortfolioCaseInput ToInput() => new() { Title = Title, Client = Client, Industry = Industry, Year = Year, Body = Body, Outcome = Outcome, Trl = Trl };

    public static PortfolioCaseForm From(EditablePortfolioCase c) => new()
    {
        Id = c.Id, Title = c.Title, Client = c.Client, Industry = c.Industry, Year = c.Year, Body = c.Body, Outcome = c.Outcome, Trl = c.Trl,
    };
}

/// <summary>The editor page: the profile form and the portfolio (cases from delivered projects read-only).</summary>
public sealed record VendorProfilePage(VendorProfileEditor Editor, VendorProfileForm Form, string? Message);

/// <summary>
/// The capability profile editor for members of a vendor organisation (Vendor role): the profile form and the
/// portfolio cases, each change one use case (Features/Vendors in Core). Other roles get 403; a vendor member edits only
/// its own organisation, and another organisation's case is 404.
/// </summary>
[Authorize(Policy = AuthPolicies.Vendor)]
[ApiExplorerSettings(IgnoreApi = true)]
public sealed class VendorProfilesController(VendorStore vendors, Viewer viewer, UseCases useCases, IStringLocalizer<VendorProfileText> text) : Controller
{
    private const string MessageKey = "VendorProfile.Message";

    [HttpGet("/my/vendor-profile")]
    public async Task<IActionResult> Edit(CancellationToken cancellationToken)
    {
        var editor = await EditorAsync(cancellationToken);
        return editor is null ? Forbid() : View(new VendorProfilePage(editor, VendorProfileForm.From(editor), TempData[MessageKey] as string));
    }

    [HttpPost("/my/vendor-profile")]
    public async Task<IActionResult> Edit(VendorProfileForm form, [FromServices] SaveVendorProfile save, CancellationToken cancellationToken)
    {
        var editor = await EditorAsync(cancellationToken);
        if (editor is null)
        {
            return Forbid();
        }

        if (!ModelState.IsValid)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return View(new VendorProfilePage(editor, form, null));
        }

        var result = await useCases.RunAsync(save, form.ToRequest(), cancellationToken);
        if (!result.IsSuccess)
        {
            return this.Show(result.Error!, text, fieldName: FormField) ?? View(new VendorProfilePage(editor, form, null));
        }

        TempData[MessageKey] = text["Your profile is saved. The matcher re-ranks the open challenges for you in a moment."].Value;
        return Redirect("/my/vendor-profile");
    }

    [HttpGet("/my/vendor-profile/cases/new")]
    public async Task<IActionResult> NewCase(CancellationToken cancellationToken) =>
        await EditorAsync(cancellationToken) is null ? Forbid() : View("Case", new PortfolioCaseForm());

    [HttpPost("/my/vendor-profile/cases/new")]
    public async Task<IActionResult> NewCase(PortfolioCaseForm form, [FromServices] AddPortfolioCase add, CancellationToken cancellationToken)
    {
        form.Id = null;
        if (!ModelState.IsValid)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return View("Case", form);
        }

        var result = await useCases.RunAsync(add, new AddPortfolioCaseRequest(form.ToInput()), cancellationToken);
        return AfterCase(result, form, text["The case is added to your portfolio."]);
    }

    [HttpGet("/my/vendor-profile/cases/{id:long}/edit")]
    public async Task<IActionResult> EditCase(long id, CancellationToken cancellationToken)
    {
        var editor = await EditorAsync(cancellationToken);
        if (editor is null)
        {
            return Forbid();
        }

        var found = editor.Cases.FirstOrDefault(c => c.Id == id);
        if (found is null)
        {
            return NotFound();
        }

        if (found.FromDelivery)
        {
            ModelState.AddModelError("", text[ExistingCaseUseCase<DeletePortfolioCaseRequest, long>.FromDeliveryMessage]);
        }

        return View("Case", PortfolioCaseForm.From(found));
    }

    [HttpPost("/my/vendor-profile/cases/{id:long}/edit")]
    public async Task<IActionResult> EditCase(long id, PortfolioCaseForm form, [FromServices] UpdatePortfolioCase update, CancellationToken cancellationToken)
    {
        form.Id = id;
        if (!ModelState.IsValid)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return View("Case", form);
        }

        var result = await useCases.RunAsync(update, new UpdatePortfolioCaseRequest(id, form.ToInput()), cancellationToken);
        return AfterCase(result, form, text["The case is saved."]);
    }

    [HttpPost("/my/vendor-profile/cases/{id:long}/delete")]
    public async Task<IActionResult> DeleteCase(long id, [FromServices] DeletePortfolioCase delete, CancellationToken cancellationToken)
    {
        var result = await useCases.RunAsync(delete, new DeletePortfolioCaseRequest(id), cancellationToken);
        if (!result.IsSuccess)
        {
            switch (result.Error!.Kind)
            {
                case ErrorKind.NotFound:
                    return NotFound();
                case ErrorKind.Forbidden:
                    return Forbid();
            }

            TempData[MessageKey] = text[result.Error.Message].Value;
            return Redirect("/my/vendor-profile#cases");
        }

        TempData[MessageKey] = text["The case is deleted."].Value;
        return Redirect("/my/vendor-profile#cases");
    }

    private IActionResult AfterCase(Result<PortfolioCaseSaved> result, PortfolioCaseForm form, string message)
    {
        if (!result.IsSuccess)
        {
            return this.Show(result.Error!, text, fieldName: FormField) ?? View("Case", form);
        }

        TempData[MessageKey] = message;
        return Redirect("/my/vendor-profile#cases");
    }

    private async Task<VendorProfileEditor?> EditorAsync(CancellationToken cancellationToken) =>
        await vendors.VendorOrganisationOfAsync(await viewer.OrganisationIdsAsync(cancellationToken), cancellationToken) is { } organisationId
            ? await vendors.EditorAsync(organisationId, cancellationToken)
            : null;

    /// <summary>The use case's camelCase field as the form names it.</summary>
    internal static string FormField(string field) => field.Length == 0 ? field : char.ToUpperInvariant(field[0]) + field[1..];
}

/// <summary>
/// The caller's own vendor profile in the JSON API: read it, save it (created on first save), and add, change or
/// delete portfolio cases. Vendor members only (403 for other roles); another organisation's case is 404; bad input is
/// 400 with per-field problem details; a case published from a delivered project is read-only (409).
/// </summary>
[ApiController]
[Authorize(Policy = AuthPolicies.Vendor)]
[Route("api/v1/my/vendor-profile")]
[Tags("Vendors")]
[ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest)]
[ProducesResponseType<ProblemDetails>(StatusCodes.Status403Forbidden)]
public sealed class VendorProfileApiController(VendorStore vendors, Viewer viewer, UseCases useCases) : ControllerBase
{
    /// <summary>The caller's vendor organisation's profile and portfolio (hasProfile false until the first save).</summary>
    [HttpGet]
    [ProducesResponseType<VendorProfileEditor>(StatusCodes.Status200OK)]
    public async Task<ActionResult<VendorProfileEditor>> Get(CancellationToken cancellationToken) =>
        await vendors.VendorOrganisationOfAsync(await viewer.OrganisationIdsAsync(cancellationToken), cancellationToken) is { } organisationId
        && await vendors.EditorAsync(organisationId, cancellationToken) is { } editor
            ? editor
            : this.ToProblem(Error.Forbidden(VendorProfilePolicy.NotAVendorMessage));

    /// <summary>Save the profile: language (zh/en), summary, maxTrlDelivered (1–9 or null), capabilities (tag slugs), industries (industry slugs).</summary>
    [HttpPut]
    [ProducesResponseType<VendorProfileSaved>(StatusCodes.Status200OK)]
    public async Task<ActionResult<VendorProfileSaved>> Save(SaveVendorProfileRequest body, [FromServices] SaveVendorProfile save, CancellationToken cancellationToken) =>
        this.ToResponse(await useCases.RunAsync(save, body, cancellationToken));

    /// <summary>Add a portfolio case (201, the profile as its Location). An Idempotency-Key makes a retry answer the first result.</summary>
    [Idempotent]
    [HttpPost("cases")]
    [ProducesResponseType<PortfolioCaseSaved>(StatusCodes.Status201Created)]
    public async Task<ActionResult> AddCase(PortfolioCaseInput body, [FromServices] AddPortfolioCase add, CancellationToken cancellationToken) =>
        this.ToCreated(await useCases.RunAsync(add, new AddPortfolioCaseRequest(body), cancellationToken), _ => "/api/v1/my/vendor-profile");

    /// <summary>Rewrite one of the organisation's portfolio cases.</summary>
    [HttpPut("cases/{id:long}")]
    [ProducesResponseType<PortfolioCaseSaved>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict)]
    public async Task<ActionResult<PortfolioCaseSaved>> UpdateCase(long id, PortfolioCaseInput body, [FromServices] UpdatePortfolioCase update, CancellationToken cancellationToken) =>
        this.ToResponse(await useCases.RunAsync(update, new UpdatePortfolioCaseRequest(id, body), cancellationToken));

    /// <summary>Delete one of the organisation's portfolio cases.</summary>
    [HttpDelete("cases/{id:long}")]
    [ProducesResponseType<PortfolioCaseSaved>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict)]
    public async Task<ActionResult<PortfolioCaseSaved>> DeleteCase(long id, [FromServices] DeletePortfolioCase delete, CancellationToken cancellationToken) =>
        this.ToResponse(await useCases.RunAsync(delete, new DeletePortfolioCaseRequest(id), cancellationToken));
}
