using System.Net;

namespace Marketplace.Web.Tests.Infrastructure;

public static class HttpClientExtensions
{
    /// <summary>A page's HTML with character references decoded, so assertions read like the rendered text.</summary>
    public static async Task<string> GetHtmlAsync(this HttpClient client, string url) =>
        WebUtility.HtmlDecode(await client.GetStringAsync(url));
}
