namespace Marketplace.Web.Features.Dashboards;

/// <summary>Resource anchor for the dashboards (DashboardText.zh-CN.resx). Keys are the English text.</summary>
public sealed class DashboardText;
