namespace Marketplace.Web.Features.Challenges;

/// <summary>
/// Resource anchor for the challenge lifecycle pages (drafting, screening, clarifications, NDA, notifications) and
/// their messages: LifecycleText.zh-CN.resx. Keys are the English text.
/// </summary>
public sealed class LifecycleText;
