using System.Net;
using Marketplace.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Infrastructure;

namespace Marketplace.Web.Infrastructure;

/// <summary>
/// A request that fails because the database is unreachable, full or read-only answers 503 with Retry-After and a
/// clear message (problem details for the API, a plain bilingual page for pages: the normal layout itself reads the
/// database), instead of a 500. Nothing half-written stays behind: every write runs in one transaction, which the
/// engine rolls back when the connection fails. Nothing here keeps state, so the next request after the database is back
/// simply works. Bugs and every other exception go on to the usual error handling.
/// </summary>
public sealed class DatabaseFaultMiddleware(RequestDelegate next, ILogger<DatabaseFaultMiddleware> logger)
{
    public const string UnreachableMessage = "The database cannot be reached at the moment. Nothing was saved. Please try again in a minute.";
    public const string CannotWriteMessage = "The database cannot store anything at the moment (its disk is full or read-only). Nothing was saved. Please try again later.";
    private const string RetryAfterSeconds = "30";

    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (Exception exception) when (DatabaseFaults.Classify(exception) is var fault && fault != DatabaseFault.None && !context.Response.HasStarted)
        {
            logger.LogError(exception, "Database fault ({Fault}) during {Method} {Path}; answered 503.", fault, context.Request.Method, context.Request.Path);
            var message = fault == DatabaseFault.CannotWrite ? CannotWriteMessage : UnreachableMessage;
            context.Response.Clear();
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            context.Response.Headers.RetryAfter = RetryAfterSeconds;
            context.Response.Headers.CacheControl = "no-store";
            if (context.Request.Path.StartsWithSegments("/api"))
            {
                var problem = context.RequestServices.GetRequiredService<ProblemDetailsFactory>()
                    .CreateProblemDetails(context, StatusCodes.Status503ServiceUnavailable, detail: message);
                await context.Response.WriteAsJsonAsync(problem, (System.Text.Json.JsonSerializerOptions?)null, "application/problem+json", context.RequestAborted);
                return;
            }

            context.Response.ContentType = "text/html; charset=utf-8";
            var chinese = fault == DatabaseFault.CannotWrite ? "数据库暂时无法写入（磁盘已满或只读）。本次操作没有保存任何内容，请稍后再试。" : "暂时无法连接数据库。本次操作没有保存任何内容，请一分钟后再试。";
            await context.Response.WriteAsync(
                $"""
                <!DOCTYPE html>
                <html lang="zh-CN"><head><meta charset="utf-8"><title>503 · Service unavailable · 服务暂不可用</title></head>
                <body style="font-family: sans-serif; max-width: 40em; margin: 4em auto;">
                <h1>服务暂不可用 · Service unavailable</h1>
                <p data-testid="fault-zh">{WebUtility.HtmlEncode(chinese)}</p>
                <p data-testid="fault-en">{WebUtility.HtmlEncode(message)}</p>
                </body></html>
                """, context.RequestAborted);
        }
    }
}
