namespace Marketplace.Web.Features.Admin;

/// <summary>Resource anchor for the administration pages (AdminText.zh-CN.resx). Keys are the English text.</summary>
public sealed class AdminText;
