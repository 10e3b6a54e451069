using System.Globalization;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text;
using CsvHelper;
using Marketplace.Data.Exports;
using Marketplace.Web.Features.Challenges;
using Marketplace.Web.Infrastructure.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using MiniExcelLibs;

namespace Marketplace.Web.Features.Dashboards;

/// <summary>
/// The programme office's exports: challenges, proposals (sealed until the deadline, prices until the envelopes are
/// opened), scores, awards, projects with milestones and the supply–demand ledger, as CSV or Excel. The challenge
/// list's query string filters them. Rows stream from an unbuffered reader into the response; nothing holds the table.
/// Officers only: administrators do not see sealed bids or review (ProposalPolicy).
/// </summary>
[Authorize(Policy = AuthPolicies.Officer)]
[ApiExplorerSettings(IgnoreApi = true)]
public sealed class ExportsController(OfficerExportQuery exports, TimeProvider clock) : Controller
{
    public static IReadOnlyList<string> Datasets { get; } = ["challenges", "proposals", "scores", "awards", "projects", "ledger"];

    [HttpGet("/exports/{dataset}.{format}")]
    public async Task<IActionResult> Export(string dataset, string format, [FromQuery] ChallengeListQuery query, CancellationToken cancellationToken)
    {
        if (!Datasets.Contains(dataset) || format is not ("csv" or "xlsx"))
        {
            return NotFound();
        }

        var errors = query.Validate();
        if (!errors.IsEmpty)
        {
            return ValidationProblem(new ValidationProblemDetails(errors.ToError().FieldErrors!.ToDictionary(e => e.Key, e => e.Value)));
        }

        var search = query.ToSearch();
        var name = $"{dataset}-{clock.GetUtcNow():yyyyMMdd-HHmm}.{format}";
        Response.Headers.ContentDisposition = $"attachment; filename=\"{name}\"";
        Response.Headers.CacheControl = "no-store";
        await (dataset switch
        {
            "challenges" => WriteAsync(exports.ChallengesAsync(search, cancellationToken), format, dataset, cancellationToken),
            "proposals" => WriteAsync(exports.ProposalsAsync(search, cancellationToken), format, dataset, cancellationToken),
            "scores" => WriteAsync(exports.ScoresAsync(search, cancellationToken), format, dataset, cancellationToken),
            "awards" => WriteAsync(exports.AwardsAsync(search, cancellationToken), format, dataset, cancellationToken),
            "projects" => WriteAsync(exports.ProjectsAsync(search, cancellationToken), format, dataset, cancellationToken),
            _ => WriteAsync(exports.LedgerAsync(search, cancellationToken), format, dataset, cancellationToken),
        });
        return new EmptyResult();
    }

    private Task WriteAsync<T>(IAsyncEnumerable<T> rows, string format, string sheet, CancellationToken cancellationToken) =>
        format == "csv" ? WriteCsvAsync(rows, cancellationToken) : WriteExcelAsync(rows, sheet, cancellationToken);

    /// <summary>
    /// UTF-8 with a byte-order mark, so Excel opens Chinese text correctly; times in UTC ISO 8601; cells that start like a
    /// formula are escaped (CSV injection). Flushed every few hundred rows, so the response goes out while the reader reads.
    /// </summary>
    private async Task WriteCsvAsync<T>(IAsyncEnumerable<T> rows, CancellationToken cancellationToken)
    {
        Response.ContentType = "text/csv; charset=utf-8";
        var columns = ExportColumns<T>.Properties;
        await using var csv = CsvWriter.Create(Response.Body, new CsvWriterOptions { WriteByteOrderMark = true, Injection = CsvInjection.Escape }, leaveOpen: true);
        csv.WriteHeader(columns.Select(c => c.Name).ToArray());
        var count = 0;
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            await csv.WriteRecordAsync(columns.Select(c => Text(c.GetValue(row))).ToArray(), cancellationToken);
            if (++count % 500 == 0)
            {
                await csv.FlushAsync(cancellationToken);
            }
        }

        await csv.FlushAsync(cancellationToken);
    }

    /// <summary>
    /// An .xlsx workbook written by MiniExcel from the row stream. MiniExcel writes its zip container synchronously, which
    /// the response body refuses, so the workbook goes to a temporary file (deleted on close) and is then copied to the
    /// response. The rows are never all in memory.
    /// </summary>
    private async Task WriteExcelAsync<T>(IAsyncEnumerable<T> rows, string sheet, CancellationToken cancellationToken)
    {
        Response.ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
        await using var file = new FileStream(Path.Combine(Path.GetTempPath(), $"marketplace-export-{Guid.NewGuid():N}.xlsx"), FileMode.CreateNew,
            FileAccess.ReadWrite, FileShare.None, 64 * 1024, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        await file.SaveAsAsync(ExcelRows(rows, cancellationToken), sheetName: sheet, cancellationToken: cancellationToken);
        file.Position = 0;
        Response.ContentLength = file.Length;
        await file.CopyToAsync(Response.Body, cancellationToken);
    }

    /// <summary>Numbers stay numbers; times become UTC ISO 8601 text (Excel has no time zone), dates "yyyy-MM-dd".</summary>
    private static async IAsyncEnumerable<Dictionary<string, object?>> ExcelRows<T>(IAsyncEnumerable<T> rows, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var columns = ExportColumns<T>.Properties;
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            var values = new Dictionary<string, object?>(columns.Count, StringComparer.Ordinal);
            foreach (var column in columns)
            {
                values[column.Name] = column.GetValue(row) switch
                {
                    DateTimeOffset or DateOnly => Text(column.GetValue(row)),
                    var value => value,
                };
            }

            yield return values;
        }
    }

    private static string Text(object? value) => value switch
    {
        null => "",
        DateTimeOffset time => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        DateOnly date => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        bool flag => flag ? "true" : "false",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    /// <summary>A row type's columns: its public properties in declaration order, read once per type.</summary>
    private static class ExportColumns<T>
    {
        public static IReadOnlyList<PropertyInfo> Properties { get; } = typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance);
    }
}
