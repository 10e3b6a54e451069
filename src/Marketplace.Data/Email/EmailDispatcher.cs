using System.Globalization;
using MailKit.Net.Smtp;
using Marketplace.Core.Features.Email;
using Microsoft.Extensions.Logging;
using MimeKit;

namespace Marketplace.Data.Email;

/// <summary>What one dispatcher run did.</summary>
public sealed record DispatchReport(int Claimed, int Sent, int Failed, int Dead, string Destination)
{
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Claimed} claimed, {Sent} sent, {Failed} failed (to retry), {Dead} dead-lettered; destination: {Destination}");
}

/// <summary>
/// Sends what waits in the e-mail outbox. One run claims due messages in batches (an atomic claim with this run's
/// own owner token, so two servers never hold the same message), sends each through the transport and marks it sent
/// at once; a failure is retried later with exponential backoff, and after Email:MaxAttempts failures the message is a
/// dead letter. Delivery is at least once: see docs/email.md. The scheduler calls <see cref="RunOnceAsync"/>; so does
/// <c>marketplace email dispatch</c>.
/// </summary>
public sealed class EmailDispatcher(EmailOutboxStore outbox, EmailSettings settings, TimeProvider clock, ILogger<EmailDispatcher> logger)
{
    private int _destinationLogged;

    public async Task<DispatchReport> RunOnceAsync(CancellationToken cancellationToken)
    {
        var owner = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";
        await using var transport = MailTransports.Create(settings);
        if (Interlocked.Exchange(ref _destinationLogged, 1) == 0)
        {
            if (settings.UsesPickupFolder)
            {
                logger.LogWarning("E-mail: Smtp:Host is empty, so messages are written as .eml files to {Folder}", settings.FullPickupFolder);
            }
            else
            {
                logger.LogInformation("E-mail: sending through {Destination}", transport.Describe());
            }
        }

        int claimed = 0, sent = 0, failed = 0, dead = 0;
        for (var batch = 0; batch < settings.MaxBatchesPerRun; batch++)
        {
            var now = clock.GetUtcNow();
            var messages = await outbox.ClaimAsync(owner, now, now.AddSeconds(settings.ClaimSeconds), settings.BatchSize, cancellationToken);
            claimed += messages.Count;
            Exception? connectionFailure = null;
            foreach (var message in messages)
            {
                if (connectionFailure is null)
                {
                    // The batch may have outlived its claim (a slow server): renew it for this message, or leave the
                    // message to the dispatcher that took it over.
                    var sendingAt = clock.GetUtcNow();
                    if (!await outbox.RenewClaimAsync(message.Id, owner, sendingAt, sendingAt.AddSeconds(settings.ClaimSeconds), cancellationToken))
                    {
                        logger.LogInformation("E-mail {Id} was taken over by another dispatcher after this run's claim expired; not sent here", message.Id);
                        continue;
                    }

                    try
                    {
                        await transport.SendAsync(ToMime(message), cancellationToken);
                    }
                    catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                    {
                        logger.LogWarning(exception, "E-mail {Id} to {Address} failed (attempt {Attempt})", message.Id, message.RecipientAddress, message.Attempts + 1);
                        if (IsServerUnreachable(exception))
                        {
                            // The rest of the batch would fail the same way: record it for each without trying.
                            connectionFailure = exception;
                        }

                        if (await FailAsync(message, owner, exception))
                        {
                            dead++;
                        }
                        else
                        {
                            failed++;
                        }

                        continue;
                    }

                    // Marked at once, message by message, outside the send's error handling: a database failure here must
                    // not be recorded as a failed send (the server has the message). The window in which a crash makes a
                    // message go out twice is this one UPDATE long.
                    if (await outbox.MarkSentAsync(message.Id, owner, clock.GetUtcNow(), CancellationToken.None))
                    {
                        sent++;
                    }
                    else
                    {
                        logger.LogWarning("E-mail {Id} was sent after this run's claim on it ended (expired, or the recipient unsubscribed meanwhile)", message.Id);
                    }

                    continue;
                }

                if (await FailAsync(message, owner, connectionFailure))
                {
                    dead++;
                }
                else
                {
                    failed++;
                }
            }

            if (messages.Count < settings.BatchSize || connectionFailure is not null)
            {
                break;
            }
        }

        var report = new DispatchReport(claimed, sent, failed, dead, transport.Describe());
        if (claimed > 0)
        {
            logger.LogInformation("E-mail dispatch: {Report}", report);
        }

        return report;
    }

    /// <summary>Records the failure; true when it made the message a dead letter.</summary>
    private async Task<bool> FailAsync(OutboundMessage message, string owner, Exception exception)
    {
        var now = clock.GetUtcNow();
        var attempts = message.Attempts + 1;
        var next = now + EmailBackoff.After(attempts, TimeSpan.FromSeconds(settings.RetryBaseSeconds), TimeSpan.FromSeconds(settings.RetryMaxSeconds));
        await outbox.MarkFailedAsync(message.Id, owner, now, next, $"{exception.GetType().Name}: {exception.Message}", CancellationToken.None);
        if (attempts >= settings.MaxAttempts)
        {
            logger.LogError("E-mail {Id} to {Address} is a dead letter after {Attempts} attempts: {Error}", message.Id, message.RecipientAddress, attempts, exception.Message);
            return true;
        }

        return false;
    }

    private static bool IsServerUnreachable(Exception exception) =>
        exception is System.Net.Sockets.SocketException or IOException or SmtpProtocolException or TimeoutException
        || exception.InnerException is System.Net.Sockets.SocketException;

    /// <summary>The message as it goes on the wire: multipart/alternative (text, HTML), the stored Message-ID, one-click unsubscribe headers.</summary>
    public MimeMessage ToMime(OutboundMessage message)
    {
        var mime = new MimeMessage
        {
            Subject = message.Subject,
            MessageId = message.MessageId,
            Date = message.CreatedAt,
            Body = new BodyBuilder { TextBody = message.TextBody, HtmlBody = message.HtmlBody }.ToMessageBody(),
        };
        mime.From.Add(settings.FromAddress);
        mime.To.Add(MailboxAddress.Parse(message.RecipientAddress));
        mime.Headers.Add("Auto-Submitted", "auto-generated");
        mime.Headers.Add("Content-Language", message.Language);
        if (message.UnsubscribeToken is { } token)
        {
            mime.Headers.Add("List-Unsubscribe", $"<{settings.UnsubscribeLink(token)}>");
            mime.Headers.Add("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        }

        return mime;
    }
}
