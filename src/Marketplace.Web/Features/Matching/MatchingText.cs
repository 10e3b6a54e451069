namespace Marketplace.Web.Features.Matching;

/// <summary>Resource anchor for the matcher's pages (suggestions panel, recommendations). Keys are the English text.</summary>
public sealed class MatchingText;
