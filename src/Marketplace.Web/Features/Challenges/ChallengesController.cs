using Marketplace.Core.Challenges;
using Marketplace.Core.Common;
using Marketplace.Data.Challenges;
using Marketplace.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Marketplace.Web.Features.Challenges;

/// <summary>The query string of the public challenge list; every filter is optional.</summary>
public sealed record ChallengeListQuery
{
    public string? Q { get; init; }
    public string? Industry { get; init; }
    public string? Language { get; init; }
    public string? Tag { get; init; }
    public bool Open { get; init; }
    public string? Sort { get; init; }

    /// <summary>Budget range in <see cref="Currency"/> (CNY by default); challenges budgeted in other currencies are left out.</summary>
    public decimal? BudgetMin { get; init; }
    public decimal? BudgetMax { get; init; }
    public string? Currency { get; init; }

    /// <summary>Only challenges that close on or before this date (China time, yyyy-MM-dd).</summary>
    public DateOnly? ClosesBy { get; init; }
    public int? Page { get; init; }
    public int? PageSize { get; init; }

    /// <summary>The requested page; call after <see cref="Validate"/> found nothing wrong.</summary>
    public PageRequest ToPage() => new(Page ?? 1, PageSize ?? 20);

    public ChallengeSearch ToSearch() => new()
    {
        Text = Q,
        Industry = Industry,
        Language = Language,
        Tag = Tag,
        OpenOnly = Open,
        BudgetMin = BudgetMin,
        BudgetMax = BudgetMax,
        BudgetCurrency = string.IsNullOrWhiteSpace(Currency) ? "CNY" : Currency.Trim().ToUpperInvariant(),

        // The end of that day in China Standard Time, the programme's reference zone.
        DeadlineBefore = ClosesBy is { } day ? new DateTimeOffset(day.AddDays(1).ToDateTime(TimeOnly.MinValue), Display.ChinaOffset) : null,
    };

    /// <summary>With search text and no sort chosen, the best matches come first.</summary>
    public ChallengeSort ParsedSort() => Sort switch
    {
        "relevance" => ChallengeSort.Relevance,
        "deadline" => ChallengeSort.Deadline,
        "budget" => ChallengeSort.Budget,
        "newest" => ChallengeSort.Newest,
        _ => string.IsNullOrWhiteSpace(Q) ? ChallengeSort.Newest : ChallengeSort.Relevance,
    };

    /// <summary>Checks values against the whitelists; unknown ones are a clear error, never silently ignored.</summary>
    public ValidationErrors Validate()
    {
        var errors = new ValidationErrors();
        if (Industry is not null && !Industries.IsKnown(Industry))
        {
            errors.Add("industry", $"Unknown industry '{Industry}'. Use one of: {string.Join(", ", Industries.All.Select(i => i.Slug))}.");
        }

        if (Language is not (null or "zh" or "en"))
        {
            errors.Add("language", "language must be zh or en.");
        }

        if (Sort is not (null or "relevance" or "newest" or "deadline" or "budget"))
        {
            errors.Add("sort", "sort must be relevance, newest, deadline or budget.");
        }

        if (Q is { Length: > 200 })
        {
            errors.Add("q", "The search text must be at most 200 characters.");
        }

        if (BudgetMin is < 0 || BudgetMax is < 0)
        {
            errors.Add(BudgetMin is < 0 ? "budgetMin" : "budgetMax", "A budget bound cannot be negative.");
        }

        if (BudgetMin is { } min && BudgetMax is { } max && min > max)
        {
            errors.Add("budgetMax", "The largest budget must not be below the smallest.");
        }

        if (Currency is not null && (Currency.Trim().Length != 3 || !Currency.Trim().All(char.IsAsciiLetter)))
        {
            errors.Add("currency", "currency must be a three-letter ISO 4217 code such as CNY, USD or EUR.");
        }

        var page = PageRequest.Create(Page, PageSize);
        foreach (var (field, messages) in page.Error?.FieldErrors ?? new Dictionary<string, string[]>())
        {
            foreach (var message in messages)
            {
                errors.Add(field, message);
            }
        }

        return errors;
    }
}

public sealed record ChallengeListViewModel(ChallengeListQuery Query, Paged<ChallengeSummary> Results, IReadOnlyDictionary<string, string[]> Errors);

public sealed record ChallengeDetailViewModel(ChallengeDetail Challenge, bool FullTextVisible, ChallengeLifecyclePanel? Lifecycle = null);

[ApiExplorerSettings(IgnoreApi = true)]
public sealed partial class ChallengesController(ChallengeStore challenges, Viewer viewer, UseCases useCases, TimeProvider clock) : Controller
{
    [AllowAnonymous]
    [HttpGet("/challenges")]
    public async Task<IActionResult> Index([FromQuery] ChallengeListQuery query, CancellationToken cancellationToken)
    {
        var errors = query.Validate();

        // A value that could not even be read (budgetMin=abc, closesBy=tomorrow) is an error too, not a dropped filter.
        foreach (var (field, entry) in ModelState.Where(e => e.Value?.Errors.Count > 0))
        {
            errors.Add(char.ToLowerInvariant(field[0]) + field[1..], $"'{entry!.AttemptedValue}' is not a valid value for {field}.");
        }

        if (!errors.IsEmpty)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            var empty = new Paged<ChallengeSummary>([], 0, 1, PageRequest.MaxPageSize);
            return View(new ChallengeListViewModel(query, empty, errors.ToError().FieldErrors!));
        }

        var results = await challenges.SearchPublicAsync(query.ToSearch(), query.ParsedSort(), query.ToPage(), cancellationToken);
        return View(new ChallengeListViewModel(query, results, new Dictionary<string, string[]>()));
    }

    [AllowAnonymous]
    [HttpGet("/challenges/{id:long}")]
    public async Task<IActionResult> Details(long id, CancellationToken cancellationToken)
    {
        var model = await DetailsModelAsync(id, null, cancellationToken);
        return model is null ? NotFound() : View(model);
    }
}
