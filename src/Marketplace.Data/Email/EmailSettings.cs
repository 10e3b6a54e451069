using Microsoft.Extensions.Configuration;
using MimeKit;

namespace Marketplace.Data.Email;

/// <summary>
/// E-mail configuration, read from three places: Smtp:* (the server), Email:* (the outbox) and Marketplace:BaseUrl
/// (the absolute address links in mails point to; never taken from a request's Host header).
/// </summary>
public sealed record EmailSettings
{
    /// <summary>SMTP server; empty means no server: messages are written as .eml files to <see cref="PickupFolder"/>.</summary>
    public string SmtpHost { get; init; } = "";
    public int SmtpPort { get; init; } = 25;
    /// <summary>auto (STARTTLS when offered), none, starttls (required) or ssl (TLS from the first byte).</summary>
    public string SmtpSecurity { get; init; } = "auto";
    public string SmtpUser { get; init; } = "";
    public string SmtpPassword { get; init; } = "";
    public int SmtpTimeoutSeconds { get; init; } = 30;
    public string From { get; init; } = "Marketplace <no-reply@marketplace.example>";

    /// <summary>Failed attempts after which a message becomes a dead letter.</summary>
    public int MaxAttempts { get; init; } = 5;
    /// <summary>Delay after the first failure; it doubles with every further failure, up to <see cref="RetryMaxSeconds"/>.</summary>
    public int RetryBaseSeconds { get; init; } = 60;
    public int RetryMaxSeconds { get; init; } = 3600;
    /// <summary>Messages claimed per batch; a dispatcher run takes batches until none is due (at most <see cref="MaxBatchesPerRun"/>).</summary>
    public int BatchSize { get; init; } = 50;
    public int MaxBatchesPerRun { get; init; } = 20;
    /// <summary>How long a claim holds: a dispatcher that dies mid-batch frees its messages after this.</summary>
    public int ClaimSeconds { get; init; } = 300;
    public string PickupFolder { get; init; } = Path.Combine("data", "mail");

    public string BaseUrl { get; init; } = "http://127.0.0.1:5080";

    public bool UsesPickupFolder => string.IsNullOrWhiteSpace(SmtpHost);

    public string FullPickupFolder => Path.GetFullPath(PickupFolder);

    public static EmailSettings Read(IConfiguration configuration)
    {
        var defaults = new EmailSettings();
        var smtp = configuration.GetSection("Smtp");
        var email = configuration.GetSection("Email");
        return new EmailSettings
        {
            SmtpHost = smtp["Host"]?.Trim() ?? defaults.SmtpHost,
            SmtpPort = smtp.GetValue("Port", defaults.SmtpPort),
            SmtpSecurity = smtp["Security"] ?? defaults.SmtpSecurity,
            SmtpUser = smtp["User"] ?? defaults.SmtpUser,
            SmtpPassword = smtp["Password"] ?? defaults.SmtpPassword,
            SmtpTimeoutSeconds = smtp.GetValue("TimeoutSeconds", defaults.SmtpTimeoutSeconds),
            From = string.IsNullOrWhiteSpace(smtp["From"]) ? defaults.From : smtp["From"]!,
            MaxAttempts = email.GetValue("MaxAttempts", defaults.MaxAttempts),
            RetryBaseSeconds = email.GetValue("RetryBaseSeconds", defaults.RetryBaseSeconds),
            RetryMaxSeconds = email.GetValue("RetryMaxSeconds", defaults.RetryMaxSeconds),
            BatchSize = email.GetValue("BatchSize", defaults.BatchSize),
            MaxBatchesPerRun = email.GetValue("MaxBatchesPerRun", defaults.MaxBatchesPerRun),
            ClaimSeconds = email.GetValue("ClaimSeconds", defaults.ClaimSeconds),
            PickupFolder = string.IsNullOrWhiteSpace(email["PickupFolder"]) ? defaults.PickupFolder : email["PickupFolder"]!,
            BaseUrl = string.IsNullOrWhiteSpace(configuration["Marketplace:BaseUrl"]) ? defaults.BaseUrl : configuration["Marketplace:BaseUrl"]!,
        }.Validated();
    }

    /// <summary>Refuses settings that would make the dispatcher misbehave, with the setting's name.</summary>
    public EmailSettings Validated()
    {
        if (MaxAttempts < 1)
        {
            throw new ArgumentException("Email:MaxAttempts must be 1 or more.");
        }

        if (BatchSize < 1 || MaxBatchesPerRun < 1 || ClaimSeconds < 1 || RetryBaseSeconds < 0 || RetryMaxSeconds < RetryBaseSeconds)
        {
            throw new ArgumentException("Email:BatchSize, MaxBatchesPerRun and ClaimSeconds must be positive, and RetryMaxSeconds at least RetryBaseSeconds.");
        }

        if (!Uri.TryCreate(BaseUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"Marketplace:BaseUrl must be an absolute http(s) address, not '{BaseUrl}'.");
        }

        if (!MailboxAddress.TryParse(From, out _))
        {
            throw new ArgumentException($"Smtp:From is not an e-mail address: '{From}'.");
        }

        return this;
    }

    public MailboxAddress FromAddress => MailboxAddress.Parse(From);

    /// <summary>An absolute link to a path of the app.</summary>
    public string Link(string path) => BaseUrl.TrimEnd('/') + "/" + path.TrimStart('/');

    /// <summary>The one-click unsubscribe link of a token (GET shows a confirmation, POST unsubscribes).</summary>
    public string UnsubscribeLink(string token) => Link($"/email/unsubscribe/{Uri.EscapeDataString(token)}");

    /// <summary>The domain of Message-IDs: the sender's.</summary>
    public string MessageIdDomain => FromAddress.Domain is { Length: > 0 } domain ? domain : new Uri(BaseUrl).Host;
}
