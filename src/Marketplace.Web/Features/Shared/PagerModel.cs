using Marketplace.Core.Common;
using Microsoft.AspNetCore.Http.Extensions;

namespace Marketplace.Web.Features.Shared;

/// <summary>Page links that keep the current filters in the query string.</summary>
public sealed record PagerModel(int Page, int PageCount, string Path, IReadOnlyDictionary<string, string?> Query)
{
    public string UrlFor(int page)
    {
        var query = new QueryBuilder(Query.Where(q => !string.IsNullOrEmpty(q.Value) && q.Key != "page")
            .Select(q => new KeyValuePair<string, string>(q.Key, q.Value!)));
        query.Add("page", page.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return Path + query.ToQueryString();
    }

    public static PagerModel From<T>(Paged<T> paged, HttpRequest request) => new(
        paged.Page,
        paged.PageCount,
        request.Path,
        request.Query.ToDictionary(q => q.Key, q => (string?)q.Value.ToString()));
}
