using Marketplace.Core.Application;
using Marketplace.Core.Challenges;
using Marketplace.Core.Common;
using Marketplace.Core.Vendors;

namespace Marketplace.Core.Features.Vendors;

/// <summary>What the profile editor's use cases read and write, inside the runner's transaction (implemented by Marketplace.Data).</summary>
public interface IVendorProfileStore
{
    /// <summary>The first vendor organisation among the actor's organisations (lowest id), or null.</summary>
    Task<long?> VendorOrganisationOfAsync(IUnitOfWork work, IReadOnlyList<long> organisationIds, CancellationToken cancellationToken);

    Task SaveProfileAsync(IUnitOfWork work, VendorProfileUpdate profile, CancellationToken cancellationToken);

    /// <summary>The case's organisation and whether it was published from a delivered project; null when there is no such case.</summary>
    Task<PortfolioCaseOwner?> CaseOwnerAsync(IUnitOfWork work, long caseId, CancellationToken cancellationToken);

    Task<long> AddCaseAsync(IUnitOfWork work, NewPortfolioCase portfolioCase, CancellationToken cancellationToken);

    Task<bool> UpdateCaseAsync(IUnitOfWork work, long caseId, NewPortfolioCase portfolioCase, CancellationToken cancellationToken);

    Task<bool> DeleteCaseAsync(IUnitOfWork work, long caseId, CancellationToken cancellationToken);

    /// <summary>Moves the vendor's change stamp so the matcher re-indexes it (nothing when it has no profile yet).</summary>
    Task TouchVendorAsync(IUnitOfWork work, long organisationId, DateTimeOffset now, CancellationToken cancellationToken);
}

public sealed record PortfolioCaseOwner(long OrganisationId, bool FromDelivery);

/// <summary>The capability profile as its vendor edits it. Capabilities and industries are slugs of the fixed taxonomies.</summary>
public sealed record SaveVendorProfileRequest
{
    public string? Language { get; init; }
    public string? Summary { get; init; }
    public int? MaxTrlDelivered { get; init; }
    public IReadOnlyList<string> Capabilities { get; init; } = [];
    public IReadOnlyList<string> Industries { get; init; } = [];
}

/// <summary>One portfolio case as its vendor writes it.</summary>
public sealed record PortfolioCaseInput
{
    [SingleLine]
    public string? Title { get; init; }

    [SingleLine]
    public string? Client { get; init; }

    public string? Industry { get; init; }
    public int? Year { get; init; }
    public string? Body { get; init; }
    public string? Outcome { get; init; }
    public int? Trl { get; init; }
}

public sealed record AddPortfolioCaseRequest(PortfolioCaseInput Case);

public sealed record UpdatePortfolioCaseRequest(long CaseId, PortfolioCaseInput Case);

public sealed record DeletePortfolioCaseRequest(long CaseId);

public sealed record VendorProfileSaved(long OrganisationId);

public sealed record PortfolioCaseSaved(long OrganisationId, long CaseId);

/// <summary>The rules of the profile editor: field names are the API's (camelCase), messages are English resource keys.</summary>
public static class VendorProfileRules
{
    public const int MaxSummary = 4000;
    public const int MaxCapabilities = 12;
    public const int MaxTitle = 200;
    public const int MaxClient = 200;
    public const int MaxBody = 4000;
    public const int MaxOutcome = 1000;
    public const int FirstYear = 1980;

    public static Result<VendorProfileUpdate> Validate(long organisationId, SaveVendorProfileRequest request)
    {
        var errors = new ValidationErrors();
        if (request.Language is not ("zh" or "en"))
        {
            errors.Add("language", "Choose the language the summary is written in (zh or en).");
        }

        if (string.IsNullOrWhiteSpace(request.Summary))
        {
            errors.Add("summary", "Write a summary of what your organisation builds.");
        }
        else if (request.Summary.Trim().Length > MaxSummary)
        {
            errors.Add("summary", $"The summary must be at most {MaxSummary} characters.");
        }

        CheckTrl(errors, "maxTrlDelivered", request.MaxTrlDelivered);
        var capabilities = (request.Capabilities ?? []).Where(c => !string.IsNullOrWhiteSpace(c)).Select(c => c.Trim()).Distinct(StringComparer.Ordinal).ToList();
        if (capabilities.Any(c => Tags.Find(c) is null))
        {
            errors.Add("capabilities", "Choose capability tags from the list.");
        }
        else if (capabilities.Count > MaxCapabilities)
        {
            errors.Add("capabilities", $"Choose at most {MaxCapabilities} capability tags: the ones you are strongest in.");
        }

        var industries = (request.Industries ?? []).Where(i => !string.IsNullOrWhiteSpace(i)).Select(i => i.Trim()).Distinct(StringComparer.Ordinal).ToList();
        if (industries.Any(i => !Marketplace.Core.Challenges.Industries.IsKnown(i)))
        {
            errors.Add("industries", "Choose industries from the list.");
        }

        return errors.IsEmpty
            ? new VendorProfileUpdate(organisationId, request.Language!, request.Summary!.Trim(), request.MaxTrlDelivered, capabilities, industries)
            : errors.ToError();
    }

    public static Result<NewPortfolioCase> Validate(long organisationId, PortfolioCaseInput input, int currentYear)
    {
        var errors = new ValidationErrors();
        errors.Require("title", input.Title?.Trim(), "The title", MaxTitle);
        Optional(errors, "client", input.Client, "The client's name", MaxClient);
        if (!string.IsNullOrWhiteSpace(input.Industry) && !Marketplace.Core.Challenges.Industries.IsKnown(input.Industry.Trim()))
        {
            errors.Add("industry", "Choose an industry from the list.");
        }

        if (input.Year is { } year && (year < FirstYear || year > currentYear))
        {
            errors.Add("year", "The year must be between 1980 and this year.");
        }

        errors.Require("body", input.Body?.Trim(), "The description", MaxBody);
        Optional(errors, "outcome", input.Outcome, "The outcome", MaxOutcome);
        CheckTrl(errors, "trl", input.Trl);
        return errors.IsEmpty
            ? new NewPortfolioCase(organisationId, input.Title!.Trim(), Blank(input.Client), Blank(input.Industry), input.Year, input.Body!.Trim(), Blank(input.Outcome), input.Trl)
            : errors.ToError();
    }

    private static void CheckTrl(ValidationErrors errors, string field, int? trl)
    {
        if (trl is < 1 or > 9)
        {
            errors.Add(field, "The TRL must be between 1 and 9.");
        }
    }

    private static void Optional(ValidationErrors errors, string field, string? value, string label, int max)
    {
        if (value is not null && value.Trim().Length > max)
        {
            errors.Add(field, $"{label} must be at most {max} characters.");
        }
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

/// <summary>Who may edit a vendor profile: members of a vendor organisation with the Vendor role, their own organisation only.</summary>
public static class VendorProfilePolicy
{
    public const string NotAVendorMessage = "Only members of a vendor organisation can edit a vendor profile.";

    public static Error? AsEditor(Actor? actor, long? organisationId) =>
        actor is null || !actor.IsVendor || organisationId is null ? Error.Forbidden(NotAVendorMessage) : null;

    /// <summary>A case of another organisation is hidden (404), like a case that does not exist.</summary>
    public static Error NotFound(long caseId) => Error.NotFound($"There is no portfolio case {caseId}.");
}

/// <summary>The editing vendor's organisation, and for case changes the case's owner.</summary>
public sealed record VendorEditing(long? OrganisationId, PortfolioCaseOwner? Case = null);

/// <summary>
/// The shared gate of every profile-editor use case: the actor's vendor organisation is the one edited, and only a
/// member of a vendor organisation (Vendor role) may edit.
/// </summary>
public abstract class VendorEditorUseCase<TRequest, TDecision, TResult>(IVendorProfileStore store) : UseCase<TRequest, VendorEditing, TDecision, TResult>
{
    protected IVendorProfileStore Store => store;

    protected async Task<long?> EditedOrganisationAsync(UseCaseContext context, CancellationToken cancellationToken) =>
        context.Actor is null ? null : await store.VendorOrganisationOfAsync(context.Work, context.Actor.OrganisationIds, cancellationToken);

    protected override async Task<VendorEditing?> LoadAsync(UseCaseContext context, TRequest request, CancellationToken cancellationToken) =>
        new(await EditedOrganisationAsync(context, cancellationToken));

    protected override Error? Authorise(UseCaseContext context, TRequest request, VendorEditing? state) =>
        VendorProfilePolicy.AsEditor(context.Actor, state?.OrganisationId);
}

/// <summary>
/// A vendor member saves the organisation's capability profile (creating it when there is none): summary, language,
/// highest TRL delivered, capability tags and industries. The matcher re-ranks afterwards.
/// </summary>
public sealed class SaveVendorProfile(IVendorProfileStore store) : VendorEditorUseCase<SaveVendorProfileRequest, VendorProfileUpdate, VendorProfileSaved>(store)
{
    protected override Result<VendorProfileUpdate> Decide(UseCaseContext context, SaveVendorProfileRequest request, VendorEditing state) =>
        VendorProfileRules.Validate(state.OrganisationId!.Value, request);

    protected override async Task<Result<VendorProfileSaved>> ApplyAsync(UseCaseContext context, SaveVendorProfileRequest request, VendorEditing state, VendorProfileUpdate update,
        CancellationToken cancellationToken)
    {
        await Store.SaveProfileAsync(context.Work, update, cancellationToken);
        context.After(FollowUp.Rematch("vendor profile changed"));
        return new VendorProfileSaved(update.OrganisationId);
    }
}

/// <summary>A vendor member adds a past project to the organisation's portfolio. The matcher re-ranks afterwards.</summary>
public sealed class AddPortfolioCase(IVendorProfileStore store) : VendorEditorUseCase<AddPortfolioCaseRequest, NewPortfolioCase, PortfolioCaseSaved>(store)
{
    protected override Result<NewPortfolioCase> Decide(UseCaseContext context, AddPortfolioCaseRequest request, VendorEditing state) =>
        VendorProfileRules.Validate(state.OrganisationId!.Value, request.Case ?? new PortfolioCaseInput(), context.Now.UtcDateTime.Year);

    protected override async Task<Result<PortfolioCaseSaved>> ApplyAsync(UseCaseContext context, AddPortfolioCaseRequest request, VendorEditing state, NewPortfolioCase portfolioCase,
        CancellationToken cancellationToken)
    {
        var id = await Store.AddCaseAsync(context.Work, portfolioCase, cancellationToken);
        await Store.TouchVendorAsync(context.Work, portfolioCase.OrganisationId, context.Now, cancellationToken);
        context.After(FollowUp.Rematch("vendor profile changed"));
        return new PortfolioCaseSaved(portfolioCase.OrganisationId, id);
    }
}

/// <summary>
/// The gate of changes to one existing case: the editor's organisation must own it (another organisation's
/// case is 404, as if it did not exist). A case published from a delivered project is read-only: it records what the
/// enterprise consented to publish (including whether the client is named), so the vendor cannot rewrite it.
/// </summary>
public abstract class ExistingCaseUseCase<TRequest, TDecision>(IVendorProfileStore store) : VendorEditorUseCase<TRequest, TDecision, PortfolioCaseSaved>(store)
{
    public const string FromDeliveryMessage = "This case was published from a delivered project with the enterprise's consent; it cannot be changed or deleted here.";

    protected abstract long CaseIdOf(TRequest request);

    protected override async Task<VendorEditing?> LoadAsync(UseCaseContext context, TRequest request, CancellationToken cancellationToken) =>
        new(await EditedOrganisationAsync(context, cancellationToken), await Store.CaseOwnerAsync(context.Work, CaseIdOf(request), cancellationToken));

    protected override Error? Authorise(UseCaseContext context, TRequest request, VendorEditing? state) =>
        base.Authorise(context, request, state)
        ?? (state!.Case is null || state.Case.OrganisationId != state.OrganisationId ? VendorProfilePolicy.NotFound(CaseIdOf(request)) : null);

    protected Error? ReadOnly(VendorEditing state) => state.Case!.FromDelivery ? Error.Conflict(FromDeliveryMessage) : null;
}

/// <summary>A vendor member rewrites one of the organisation's own portfolio cases. The matcher re-ranks afterwards.</summary>
public sealed class UpdatePortfolioCase(IVendorProfileStore store) : ExistingCaseUseCase<UpdatePortfolioCaseRequest, NewPortfolioCase>(store)
{
    protected override long CaseIdOf(UpdatePortfolioCaseRequest request) => request.CaseId;

    protected override Result<NewPortfolioCase> Decide(UseCaseContext context, UpdatePortfolioCaseRequest request, VendorEditing state) =>
        ReadOnly(state) is { } refused ? refused : VendorProfileRules.Validate(state.OrganisationId!.Value, request.Case ?? new PortfolioCaseInput(), context.Now.UtcDateTime.Year);

    protected override async Task<Result<PortfolioCaseSaved>> ApplyAsync(UseCaseContext context, UpdatePortfolioCaseRequest request, VendorEditing state, NewPortfolioCase portfolioCase,
        CancellationToken cancellationToken)
    {
        if (!await Store.UpdateCaseAsync(context.Work, request.CaseId, portfolioCase, cancellationToken))
        {
            return VendorProfilePolicy.NotFound(request.CaseId);
        }

        await Store.TouchVendorAsync(context.Work, portfolioCase.OrganisationId, context.Now, cancellationToken);
        context.After(FollowUp.Rematch("vendor profile changed"));
        return new PortfolioCaseSaved(portfolioCase.OrganisationId, request.CaseId);
    }
}

/// <summary>A vendor member deletes one of the organisation's own portfolio cases. The matcher re-ranks afterwards.</summary>
public sealed class DeletePortfolioCase(IVendorProfileStore store) : ExistingCaseUseCase<DeletePortfolioCaseRequest, long>(store)
{
    protected override long CaseIdOf(DeletePortfolioCaseRequest request) => request.CaseId;

    protected override Result<long> Decide(UseCaseContext context, DeletePortfolioCaseRequest request, VendorEditing state) =>
        ReadOnly(state) is { } refused ? refused : request.CaseId;

    protected override async Task<Result<PortfolioCaseSaved>> ApplyAsync(UseCaseContext context, DeletePortfolioCaseRequest request, VendorEditing state, long caseId,
        CancellationToken cancellationToken)
    {
        if (!await Store.DeleteCaseAsync(context.Work, caseId, cancellationToken))
        {
            return VendorProfilePolicy.NotFound(caseId);
        }

        var organisationId = state.OrganisationId!.Value;
        await Store.TouchVendorAsync(context.Work, organisationId, context.Now, cancellationToken);
        context.After(FollowUp.Rematch("vendor profile changed"));
        return new PortfolioCaseSaved(organisationId, caseId);
    }
}
