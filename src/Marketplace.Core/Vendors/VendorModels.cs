namespace Marketplace.Core.Vendors;

/// <summary>A vendor in the directory list.</summary>
public sealed record VendorSummary
{
    public long Id { get; init; }
    public string Slug { get; init; } = "";
    public string Name { get; init; } = "";
    public string? NameEn { get; init; }
    public string? City { get; init; }
    public string Language { get; init; } = "zh";
    public string Summary { get; init; } = "";
    public int? MaxTrlDelivered { get; init; }
    public int CaseCount { get; init; }
    public IReadOnlyList<string> Capabilities { get; init; } = [];
    public IReadOnlyList<string> Industries { get; init; } = [];
}

/// <summary>A past project a vendor can point to.</summary>
public record PortfolioCase
{
    public long Id { get; init; }
    public string Title { get; init; } = "";
    public string? Client { get; init; }
    public string? Industry { get; init; }
    public int? Year { get; init; }
    public string Body { get; init; } = "";
    public string? Outcome { get; init; }
    public int? Trl { get; init; }
}

/// <summary>A vendor's full public profile.</summary>
public sealed record VendorProfile
{
    public long Id { get; init; }
    public string Slug { get; init; } = "";
    public string Name { get; init; } = "";
    public string? NameEn { get; init; }
    public string? City { get; init; }
    public int? Headcount { get; init; }
    public int? FoundedYear { get; init; }
    public string? Website { get; init; }
    public string Language { get; init; } = "zh";
    public string Summary { get; init; } = "";
    public int? MaxTrlDelivered { get; init; }
    public IReadOnlyList<string> Capabilities { get; init; } = [];
    public IReadOnlyList<string> Industries { get; init; } = [];
    public IReadOnlyList<PortfolioCase> Cases { get; init; } = [];
}

public sealed record VendorSearch
{
    public string? Text { get; init; }
    public string? Capability { get; init; }
    public string? Industry { get; init; }
}

/// <summary>What the seeder (and later the profile editor) writes for a vendor.</summary>
public sealed record VendorProfileUpdate(
    long OrganisationId,
    string Language,
    string Summary,
    int? MaxTrlDelivered,
    IReadOnlyList<string> Capabilities,
    IReadOnlyList<string> Industries);

public sealed record NewPortfolioCase(
    long OrganisationId,
    string Title,
    string? Client,
    string? Industry,
    int? Year,
    string Body,
    string? Outcome,
    int? Trl);

/// <summary>A portfolio case as its vendor sees it in the editor: cases published from delivered projects are read-only.</summary>
public sealed record EditablePortfolioCase : PortfolioCase
{
    /// <summary>Published from a delivered project with the enterprise's consent: read-only.</summary>
    public bool FromDelivery { get; init; }
}

/// <summary>A vendor organisation's own profile, as its members edit it (HasProfile false until the first save).</summary>
public sealed record VendorProfileEditor
{
    public long OrganisationId { get; init; }
    public string Slug { get; init; } = "";
    public string Name { get; init; } = "";
    public string? NameEn { get; init; }
    public bool HasProfile { get; init; }
    public string Language { get; init; } = "zh";
    public string Summary { get; init; } = "";
    public int? MaxTrlDelivered { get; init; }
    public IReadOnlyList<string> Capabilities { get; init; } = [];
    public IReadOnlyList<string> Industries { get; init; } = [];
    public IReadOnlyList<EditablePortfolioCase> Cases { get; init; } = [];
}
