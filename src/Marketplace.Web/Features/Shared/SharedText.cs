namespace Marketplace.Web.Features.Shared;

/// <summary>Resource anchor for text used across pages (layout, lists, errors). Keys are the English text.</summary>
public sealed class SharedText;
