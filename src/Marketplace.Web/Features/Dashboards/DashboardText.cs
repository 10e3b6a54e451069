using Microsoft.Extensions.Localization;

namespace Marketplace.Web.Features.Dashboards;

/// <summary>Resource anchor for the dashboards (DashboardText.zh-CN.resx). Keys are the English text.</summary>
public sealed class DashboardText;

public static class CountedText
{
    /// <summary>
    /// A count in a sentence: the singular key for exactly one ("1 day"), the plural key otherwise ("0 days", "2 days").
    /// Chinese has no plural, so both keys translate to the same text.
    /// </summary>
    public static LocalizedString Counted(this IStringLocalizer localizer, string one, string many, int count) =>
        count == 1 ? localizer[one, count] : localizer[many, count];
}
