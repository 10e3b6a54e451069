using System.Security.Cryptography;
using Marketplace.Data.Idempotency;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.Infrastructure;

namespace Marketplace.Web.Infrastructure;

/// <summary>
/// Marks an API call that creates something as honouring the <c>Idempotency-Key</c> header: a repeat of the same
/// request with the same key (per account) gets the first answer again, nothing is created twice. Every API action that
/// answers 201 carries it (IdempotencyTests checks).
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class IdempotentAttribute : Attribute, IFilterFactory
{
    public bool IsReusable => true;

    public IFilterMetadata CreateInstance(IServiceProvider serviceProvider) =>
        new IdempotencyFilter(serviceProvider.GetRequiredService<IdempotencyStore>(), serviceProvider.GetRequiredService<ILogger<IdempotencyFilter>>());
}

/// <summary>
/// Runs around model binding and the action (a resource filter: after authorisation, before the body is read). Without
/// the header the request runs as usual. With it: a key nobody used runs the request and keeps its answer; the same key
/// and the same request answer what the first one answered (header <c>Idempotency-Replayed: true</c>); the same key with
/// a different request is 422; the same key while its first request still runs is 409 with Retry-After. A request that
/// fails with a fault (5xx or an exception) gives its key back, so a retry runs again.
/// </summary>
public sealed class IdempotencyFilter(IdempotencyStore store, ILogger<IdempotencyFilter> logger) : IAsyncResourceFilter
{
    public const string Header = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotency-Replayed";
    public const int MaxKeyLength = 200;

    public async Task OnResourceExecutionAsync(ResourceExecutingContext context, ResourceExecutionDelegate next)
    {
        var http = context.HttpContext;
        if (!http.Request.Headers.TryGetValue(Header, out var values))
        {
            await next();
            return;
        }

        var viewer = http.RequestServices.GetRequiredService<Viewer>();
        if (viewer.UserId is not { } accountId)
        {
            // Authorisation runs first and every idempotent call needs a signed-in account; nothing to key on otherwise.
            await next();
            return;
        }

        var key = values.Count == 1 ? values[0] : null;
        if (key is null || key.Length is 0 or > MaxKeyLength || key.Any(c => c is < '!' or > '~'))
        {
            context.Result = Problem(http, StatusCodes.Status400BadRequest,
                $"The {Header} header must be one value of 1–{MaxKeyLength} visible ASCII characters (a UUID, for example).");
            return;
        }

        var hash = await RequestHashAsync(http.Request, http.RequestAborted);
        var existing = await store.ClaimAsync(accountId, key, hash, http.RequestAborted);
        if (existing is not null)
        {
            context.Result = existing switch
            {
                _ when !string.Equals(existing.RequestHash, hash, StringComparison.Ordinal) => Problem(http, StatusCodes.Status422UnprocessableEntity,
                    $"This {Header} was already used for a different request. Use a new key for a new request."),
                { IsCompleted: false } => InProgress(http),
                _ => Replay(http, existing),
            };
            return;
        }

        var original = http.Response.Body;
        await using var buffer = new MemoryStream();
        http.Response.Body = buffer;
        var completed = false;
        try
        {
            var executed = await next();
            var status = http.Response.StatusCode;
            if (executed.Exception is null || executed.ExceptionHandled)
            {
                if (status < 500)
                {
                    var body = System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
                    await store.CompleteAsync(accountId, key, status, http.Response.ContentType, http.Response.Headers.Location.ToString() is { Length: > 0 } location ? location : null,
                        body, CancellationToken.None);
                    completed = true;
                }
            }
        }
        finally
        {
            http.Response.Body = original;
            if (!completed)
            {
                await ReleaseQuietlyAsync(accountId, key);
            }
        }

        buffer.Position = 0;
        await buffer.CopyToAsync(original, http.RequestAborted);
    }

    private async Task ReleaseQuietlyAsync(long accountId, string key)
    {
        try
        {
            await store.ReleaseAsync(accountId, key, CancellationToken.None);
        }
        catch (Exception exception) when (exception is System.Data.Common.DbException or InvalidOperationException or TimeoutException)
        {
            // The database that failed the request may fail this too; the key then stays claimed (409) until it is back
            // and a later failure or an operator clears it. Logged, so it can be found.
            logger.LogWarning(exception, "Could not release Idempotency-Key {Key} of account {Account} after a failed request.", key, accountId);
        }
    }

    /// <summary>SHA-256 over method, path, query, content type and body: what makes two requests "the same".</summary>
    private static async Task<string> RequestHashAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        request.EnableBuffering();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(System.Text.Encoding.UTF8.GetBytes($"{request.Method}\n{request.Path}{request.QueryString}\n{request.ContentType}\n"));
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            hash.AppendData(chunk, 0, read);
        }

        request.Body.Position = 0;
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static ObjectResult Problem(HttpContext http, int status, string detail)
    {
        var factory = http.RequestServices.GetRequiredService<ProblemDetailsFactory>();
        var problem = factory.CreateProblemDetails(http, status, detail: detail);
        return new ObjectResult(problem) { StatusCode = status, ContentTypes = { "application/problem+json" } };
    }

    private static ObjectResult InProgress(HttpContext http)
    {
        http.Response.Headers.RetryAfter = "1";
        return Problem(http, StatusCodes.Status409Conflict, $"A request with this {Header} is still being processed. Retry in a moment to get its answer.");
    }

    private static ContentResult Replay(HttpContext http, IdempotencyRecord record)
    {
        http.Response.Headers[ReplayedHeader] = "true";
        if (record.Location is { } location)
        {
            http.Response.Headers.Location = location;
        }

        return new ContentResult { StatusCode = record.StatusCode, ContentType = record.ContentType, Content = record.ResponseBody };
    }
}
