namespace Marketplace.Matching.Indexing;

public enum EntityKind
{
    Challenge,
    Vendor,
    Reviewer,
}

/// <summary>What the index keeps of a document: its term bags and tags, not its text.</summary>
public sealed record StoredEntity(string Id, EntityKind Kind, TermBag[] Bags, string[] Tags);
