namespace Marketplace.Core.Organisations;

/// <summary>What an organisation is on the platform; stored as enterprise, vendor or programme_office.</summary>
public enum OrganisationKind
{
    Enterprise,
    Vendor,
    ProgrammeOffice,
}

public static class OrganisationKinds
{
    public static string ToStorage(this OrganisationKind kind) => kind switch
    {
        OrganisationKind.Enterprise => "enterprise",
        OrganisationKind.Vendor => "vendor",
        _ => "programme_office",
    };

    public static OrganisationKind FromStorage(string value) => value switch
    {
        "enterprise" => OrganisationKind.Enterprise,
        "vendor" => OrganisationKind.Vendor,
        "programme_office" => OrganisationKind.ProgrammeOffice,
        _ => throw new ArgumentOutOfRangeException(nameof(value), value, "Unknown organisation kind."),
    };
}

/// <summary>An organisation as the rest of the code sees it.</summary>
public sealed record Organisation(
    long Id,
    string Slug,
    OrganisationKind Kind,
    string Name,
    string? NameEn,
    string? Industry,
    string? City,
    int? Headcount,
    int? FoundedYear,
    string? Website,
    string? Description,
    DateTimeOffset CreatedAt);

/// <summary>What is needed to create an organisation.</summary>
public sealed record NewOrganisation(
    string Slug,
    OrganisationKind Kind,
    string Name,
    string? NameEn = null,
    string? Industry = null,
    string? City = null,
    int? Headcount = null,
    int? FoundedYear = null,
    string? Website = null,
    string? Description = null);
