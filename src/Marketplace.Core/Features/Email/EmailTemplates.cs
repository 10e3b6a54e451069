using System.Globalization;
using System.Net;
using System.Text;

namespace Marketplace.Core.Features.Email;

/// <summary>The absolute links every mail carries: the page it is about, the preferences page and the one-click unsubscribe.</summary>
public sealed record EmailLinks(string PageUrl, string PreferencesUrl, string UnsubscribeUrl);

/// <summary>A mail ready for the outbox: subject, plain text and HTML in the recipient's language.</summary>
public sealed record RenderedEmail(string Subject, string Text, string Html);

/// <summary>One notification inside a daily digest.</summary>
public sealed record DigestItem(string Title, string Body, string PageUrl, DateTimeOffset At);

/// <summary>
/// The e-mail templates, zh-CN or English by the recipient's preferred language. The HTML is one table with inline
/// styles and no external assets (mail clients strip style sheets and block remote images), in the product's colours.
/// Everything taken from notifications is HTML-encoded.
/// </summary>
public static class EmailTemplates
{
    private const string Brand = "#0d6efd";
    private const string Muted = "#6c757d";

    private static bool IsChinese(string language) => !language.StartsWith("en", StringComparison.OrdinalIgnoreCase);

    private static string E(string text) => WebUtility.HtmlEncode(text);

    private static string Colon(bool zh) => zh ? "：" : ": ";

    /// <summary>One notification as one mail.</summary>
    public static RenderedEmail ForNotification(string language, string title, string body, EmailLinks links)
    {
        var zh = IsChinese(language);
        var open = zh ? "在平台中查看" : "Open in the Marketplace";
        var text = new StringBuilder()
            .AppendLine(title).AppendLine()
            .AppendLine(body).AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"{open}{Colon(zh)}{links.PageUrl}")
            .Append(TextFooter(zh, links))
            .ToString();
        var content = $"""
            <h1 style="font-size:20px;margin:0 0 12px 0;color:#212529;">{E(title)}</h1>
            <p style="margin:0 0 20px 0;white-space:pre-line;">{E(body)}</p>
            <p style="margin:0 0 8px 0;"><a href="{E(links.PageUrl)}" style="display:inline-block;background:{Brand};color:#ffffff;text-decoration:none;padding:10px 18px;border-radius:6px;">{E(open)}</a></p>
            """;
        return new RenderedEmail(title, text, Page(zh, title, content, links));
    }

    /// <summary>The day's notifications of one user as one mail.</summary>
    public static RenderedEmail Digest(string language, DateOnly day, IReadOnlyList<DigestItem> items, EmailLinks links)
    {
        var zh = IsChinese(language);
        var date = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var subject = zh ? $"每日摘要（{date}）：{items.Count} 条通知" : $"Daily digest ({date}): {items.Count} notification{(items.Count == 1 ? "" : "s")}";
        var open = zh ? "查看" : "Open";
        var text = new StringBuilder().AppendLine(subject).AppendLine();
        var html = new StringBuilder($"""<h1 style="font-size:20px;margin:0 0 16px 0;color:#212529;">{E(subject)}</h1>""");
        foreach (var item in items)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"* {item.Title}")
                .AppendLine(item.Body)
                .AppendLine(CultureInfo.InvariantCulture, $"  {open}{Colon(zh)}{item.PageUrl}")
                .AppendLine();
            html.Append(CultureInfo.InvariantCulture, $"""
                <div style="border-left:3px solid {Brand};padding:4px 0 4px 12px;margin:0 0 16px 0;">
                <div style="font-weight:600;">{E(item.Title)}</div>
                <div style="white-space:pre-line;">{E(item.Body)}</div>
                <div><a href="{E(item.PageUrl)}" style="color:{Brand};">{E(open)}</a></div>
                </div>
                """);
        }

        text.Append(TextFooter(zh, links));
        return new RenderedEmail(subject, text.ToString(), Page(zh, subject, html.ToString(), links));
    }

    private static string TextFooter(bool zh, EmailLinks links) => zh
        ? $"\n--\n人工智能+产业 场景揭榜平台\n邮件设置：{links.PreferencesUrl}\n退订全部邮件：{links.UnsubscribeUrl}\n"
        : $"\n--\nAI + Industry Challenge Marketplace\nE-mail settings: {links.PreferencesUrl}\nUnsubscribe from all e-mail: {links.UnsubscribeUrl}\n";

    private static string Page(bool zh, string title, string content, EmailLinks links)
    {
        var product = zh ? "人工智能+产业 场景揭榜平台" : "AI + Industry Challenge Marketplace";
        var why = zh ? "您收到这封邮件，是因为您在平台上的通知设置为发送邮件。" : "You receive this because your Marketplace notifications are sent by e-mail.";
        var settings = zh ? "邮件设置" : "E-mail settings";
        var unsubscribe = zh ? "退订全部邮件" : "Unsubscribe from all e-mail";
        return $"""
            <!DOCTYPE html>
            <html lang="{(zh ? "zh-CN" : "en")}">
            <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>{E(title)}</title></head>
            <body style="margin:0;padding:0;background:#f8f9fa;font-family:-apple-system,'Segoe UI','PingFang SC','Microsoft YaHei',Roboto,Arial,sans-serif;font-size:15px;line-height:1.6;color:#212529;">
            <table role="presentation" width="100%" cellspacing="0" cellpadding="0" style="background:#f8f9fa;padding:24px 0;">
            <tr><td align="center">
            <table role="presentation" width="600" cellspacing="0" cellpadding="0" style="max-width:600px;width:100%;background:#ffffff;border:1px solid #dee2e6;border-radius:8px;">
            <tr><td style="background:#cfe2ff;padding:14px 24px;border-radius:8px 8px 0 0;font-weight:600;color:#052c65;">&#9678; {E(product)}</td></tr>
            <tr><td style="padding:24px;">
            {content}
            </td></tr>
            <tr><td style="padding:16px 24px;border-top:1px solid #dee2e6;font-size:12px;color:{Muted};">
            {E(why)}<br>
            <a href="{E(links.PreferencesUrl)}" style="color:{Muted};">{E(settings)}</a> · <a href="{E(links.UnsubscribeUrl)}" style="color:{Muted};">{E(unsubscribe)}</a>
            </td></tr>
            </table>
            </td></tr>
            </table>
            </body>
            </html>
            """;
    }
}
