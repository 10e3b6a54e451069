namespace Marketplace.Web.Features.Account;

/// <summary>Resource anchor for the account pages and their messages (AccountText.zh-CN.resx). Keys are the English text.</summary>
public sealed class AccountText;
