using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Marketplace.Data.Email;

/// <summary>Where the dispatcher hands messages: an SMTP server, or the pickup folder in development.</summary>
public interface IMailTransport : IAsyncDisposable
{
    /// <summary>Where messages go, for logs ("SMTP mail.example:587", "folder /app/data/mail").</summary>
    string Describe();

    Task SendAsync(MimeMessage message, CancellationToken cancellationToken);
}

/// <summary>Builds the transport the settings ask for; one per dispatcher run, so an SMTP connection serves a whole run.</summary>
public static class MailTransports
{
    public static IMailTransport Create(EmailSettings settings) =>
        settings.UsesPickupFolder ? new PickupFolderTransport(settings.FullPickupFolder) : new SmtpTransport(settings);
}

/// <summary>MailKit's SMTP client, connected on first use and reconnected after a broken connection.</summary>
public sealed class SmtpTransport(EmailSettings settings) : IMailTransport
{
    private readonly SmtpClient _client = new() { Timeout = settings.SmtpTimeoutSeconds * 1000 };

    public string Describe() => $"SMTP {settings.SmtpHost}:{settings.SmtpPort}";

    public async Task SendAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        if (!_client.IsConnected)
        {
            await _client.ConnectAsync(settings.SmtpHost, settings.SmtpPort, Security(settings.SmtpSecurity), cancellationToken);
            if (!string.IsNullOrEmpty(settings.SmtpUser))
            {
                await _client.AuthenticateAsync(settings.SmtpUser, settings.SmtpPassword, cancellationToken);
            }
        }

        await _client.SendAsync(message, cancellationToken);
    }

    private static SecureSocketOptions Security(string value) => value.Trim().ToUpperInvariant() switch
    {
        "NONE" => SecureSocketOptions.None,
        "STARTTLS" => SecureSocketOptions.StartTls,
        "SSL" or "TLS" => SecureSocketOptions.SslOnConnect,
        _ => SecureSocketOptions.StartTlsWhenAvailable,
    };

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_client.IsConnected)
            {
                await _client.DisconnectAsync(quit: true, CancellationToken.None);
            }
        }
        catch (Exception exception) when (exception is IOException or SmtpProtocolException or OperationCanceledException)
        {
            // Saying goodbye to a server that went away changes nothing about what was sent.
        }

        _client.Dispose();
    }
}

/// <summary>
/// Development without a mail server: each message becomes an .eml file (RFC 5322, opens in any mail client). Written
/// to a temporary name and then renamed, so a reader never sees half a file.
/// </summary>
public sealed class PickupFolderTransport(string folder) : IMailTransport
{
    public string Folder { get; } = folder;

    public string Describe() => $"folder {Folder}";

    public async Task SendAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Folder);
        // The Message-ID names the file: a resend after a crash overwrites the same file instead of adding a second one.
        var name = string.Concat((message.MessageId ?? Guid.NewGuid().ToString("N")).Replace('@', '_').Split(Path.GetInvalidFileNameChars())) + ".eml";
        var path = Path.Combine(Folder, name);
        var temporary = path + ".tmp";
        await message.WriteToAsync(temporary, cancellationToken);
        File.Move(temporary, path, overwrite: true);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
