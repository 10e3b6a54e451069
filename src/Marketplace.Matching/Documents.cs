namespace Marketplace.Matching;

/// <summary>A challenge as the matcher sees it. Only <see cref="Id"/> and some text are required.</summary>
public sealed record ChallengeDocument(string Id, string Title, string Description)
{
    public IReadOnlyList<string> AcceptanceTargets { get; init; } = [];

    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>"zh" or "en" when known; used by the re-ranker's language feature.</summary>
    public string? Language { get; init; }

    public int? TargetTrl { get; init; }
}

/// <summary>A vendor: a capability profile plus portfolio cases (and, later, completed awarded projects).</summary>
public sealed record VendorDocument(string Id, string Name, string Profile)
{
    public IReadOnlyList<PortfolioCase> Portfolio { get; init; } = [];

    /// <summary>Capability tags (the same slugs as challenge tags).</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    public string? Language { get; init; }

    public int? MaxTrlDelivered { get; init; }
}

public sealed record PortfolioCase(string Title, string Text);

/// <summary>A reviewer: declared expertise plus the text of past reviews.</summary>
public sealed record ReviewerDocument(string Id, string Name, string Expertise)
{
    public IReadOnlyList<string> PastReviews { get; init; } = [];

    public IReadOnlyList<string> Tags { get; init; } = [];
}

/// <summary>A proposal to be reviewed; it is a query only and never stored in the index.</summary>
public sealed record ProposalDocument(string Id, string Title, string Text)
{
    public IReadOnlyList<string> Tags { get; init; } = [];
}
