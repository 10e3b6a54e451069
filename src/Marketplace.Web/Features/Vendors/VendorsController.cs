using Marketplace.Core.Challenges;
using Marketplace.Core.Common;
using Marketplace.Core.Vendors;
using Marketplace.Data.Vendors;
using Marketplace.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Marketplace.Web.Features.Vendors;

/// <summary>The query string of the vendor directory.</summary>
public sealed record VendorListQuery
{
    public string? Q { get; init; }
    public string? Capability { get; init; }
    public string? Industry { get; init; }
    public int? Page { get; init; }
    public int? PageSize { get; init; }

    public VendorSearch ToSearch() => new() { Text = Q, Capability = Capability, Industry = Industry };

    public PageRequest ToPage() => new(Page ?? 1, PageSize ?? 24);

    public ValidationErrors Validate()
    {
        var errors = new ValidationErrors();
        if (Industry is not null && !Industries.IsKnown(Industry))
        {
            errors.Add("industry", $"Unknown industry '{Industry}'.");
        }

        if (Capability is not null && Tags.Find(Capability) is null)
        {
            errors.Add("capability", $"Unknown capability '{Capability}'.");
        }

        if (Q is { Length: > 200 })
        {
            errors.Add("q", "The search text must be at most 200 characters.");
        }

        if (Page is < 1)
        {
            errors.Add("page", "page must be 1 or more.");
        }

        if (PageSize is < 1 or > PageRequest.MaxPageSize)
        {
            errors.Add("pageSize", $"pageSize must be between 1 and {PageRequest.MaxPageSize}.");
        }

        return errors;
    }
}

public sealed record VendorListViewModel(VendorListQuery Query, Paged<VendorSummary> Results, IReadOnlyDictionary<string, string[]> Errors);

[AllowAnonymous]
[ApiExplorerSettings(IgnoreApi = true)]
public sealed class VendorsController(VendorStore vendors, Viewer viewer) : Controller
{
    [HttpGet("/vendors")]
    public async Task<IActionResult> Index([FromQuery] VendorListQuery query, CancellationToken cancellationToken)
    {
        var errors = query.Validate();
        if (!errors.IsEmpty)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return View(new VendorListViewModel(query, new Paged<VendorSummary>([], 0, 1, 24), errors.ToError().FieldErrors!));
        }

        var results = await vendors.SearchAsync(query.ToSearch(), query.ToPage(), cancellationToken);
        return View(new VendorListViewModel(query, results, new Dictionary<string, string[]>()));
    }

    [HttpGet("/vendors/{slug}")]
    public async Task<IActionResult> Details(string slug, CancellationToken cancellationToken)
    {
        var vendor = await vendors.FindBySlugAsync(slug, cancellationToken);
        if (vendor is null)
        {
            return NotFound();
        }

        // Its own members see a link to the profile editor.
        ViewData["MayEdit"] = viewer.IsInRole(Core.Accounts.Roles.Vendor) && (await viewer.OrganisationIdsAsync(cancellationToken)).Contains(vendor.Id);
        return View(vendor);
    }
}

/// <summary>GET /api/v1/vendors: the vendor directory as JSON.</summary>
[ApiController]
[AllowAnonymous]
[Route("api/v1/vendors")]
public sealed class VendorsApiController(VendorStore vendors) : ControllerBase
{
    [HttpGet]
    [ProducesResponseType<Paged<VendorSummary>>(StatusCodes.Status200OK)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest)]
    public async Task<ActionResult<Paged<VendorSummary>>> List([FromQuery] VendorListQuery query, CancellationToken cancellationToken)
    {
        var errors = query.Validate();
        return errors.IsEmpty ? await vendors.SearchAsync(query.ToSearch(), query.ToPage(), cancellationToken) : this.ToProblem(errors.ToError());
    }

    [HttpGet("{slug}")]
    [ProducesResponseType<VendorProfile>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound)]
    public async Task<ActionResult<VendorProfile>> Get(string slug, CancellationToken cancellationToken)
    {
        var vendor = await vendors.FindBySlugAsync(slug, cancellationToken);
        return vendor is null ? this.ToProblem(Error.NotFound($"There is no vendor '{slug}'.")) : vendor;
    }
}
