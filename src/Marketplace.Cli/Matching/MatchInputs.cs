using System.Globalization;
using System.Text.Json;
using Marketplace.Matching;

namespace Marketplace.Cli.Matching;

/// <summary>
/// Reads the bulk command's JSON Lines inputs. Every bad line is reported with its number; callers
/// refuse to run (and write nothing) when any error was found.
/// </summary>
public static class MatchInputs
{
    public static (List<ChallengeDocument> Challenges, List<string> Errors) ReadChallenges(TextReader reader, string source)
    {
        var challenges = new List<ChallengeDocument>();
        var errors = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        ReadLines(reader, source, errors, (root, fail) =>
        {
            var id = RequiredString(root, "id", fail);
            var title = OptionalString(root, "title", fail) ?? string.Empty;
            var description = OptionalString(root, "description", fail) ?? string.Empty;
            var tags = OptionalStrings(root, "tags", fail);
            var targets = OptionalStrings(root, "acceptanceTargets", fail);
            if (id is null)
            {
                return;
            }

            if (title.Length == 0 && description.Length == 0)
            {
                fail("needs a non-empty \"title\" or \"description\"");
            }
            else if (!seen.Add(id))
            {
                fail($"duplicate id \"{id}\"");
            }
            else
            {
                challenges.Add(new ChallengeDocument(id, title, description)
                {
                    Tags = tags,
                    AcceptanceTargets = targets,
                    Language = OptionalString(root, "language", fail),
                });
            }
        });
        return (challenges, errors);
    }

    public static (List<VendorDocument> Vendors, List<string> Errors) ReadVendors(TextReader reader, string source)
    {
        var vendors = new List<VendorDocument>();
        var errors = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        ReadLines(reader, source, errors, (root, fail) =>
        {
            var id = RequiredString(root, "id", fail);
            var name = OptionalString(root, "name", fail) ?? string.Empty;
            var profile = OptionalString(root, "profile", fail);
            var tags = OptionalStrings(root, "tags", fail);
            var portfolio = new List<PortfolioCase>();
            var hasPortfolio = root.TryGetProperty("portfolio", out var cases) && cases.ValueKind != JsonValueKind.Null;
            if (hasPortfolio)
            {
                if (cases.ValueKind != JsonValueKind.Array)
                {
                    fail("\"portfolio\" must be an array of {\"title\", \"text\"}");
                    return;
                }

                var index = 0;
                foreach (var item in cases.EnumerateArray())
                {
                    if (item.ValueKind != JsonValueKind.Object)
                    {
                        fail($"portfolio[{index}] must be an object with \"title\" and \"text\"");
                        return;
                    }

                    var caseTitle = OptionalString(item, "title", fail) ?? string.Empty;
                    var text = OptionalString(item, "text", fail) ?? string.Empty;
                    if (caseTitle.Length == 0 && text.Length == 0)
                    {
                        fail($"portfolio[{index}] needs a \"title\" or \"text\"");
                        return;
                    }

                    portfolio.Add(new PortfolioCase(caseTitle, text));
                    index++;
                }
            }

            if (id is null)
            {
                return;
            }

            if (string.IsNullOrWhiteSpace(profile) && portfolio.Count == 0)
            {
                fail("needs a \"profile\" or a non-empty \"portfolio\"");
            }
            else if (!seen.Add(id))
            {
                fail($"duplicate id \"{id}\"");
            }
            else
            {
                vendors.Add(new VendorDocument(id, name, profile ?? string.Empty)
                {
                    Portfolio = portfolio,
                    Tags = tags,
                    Language = OptionalString(root, "language", fail),
                });
            }
        });
        return (vendors, errors);
    }

    private static void ReadLines(TextReader reader, string source, List<string> errors, Action<JsonElement, Action<string>> read)
    {
        var number = 0;
        while (reader.ReadLine() is { } line)
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var lineNumber = number;
            var before = errors.Count;
            void Fail(string message)
            {
                // One message per line is enough to find and fix it.
                if (errors.Count == before)
                {
                    errors.Add(string.Create(CultureInfo.InvariantCulture, $"{source}:{lineNumber}: {message}"));
                }
            }

            try
            {
                using var document = JsonDocument.Parse(line);
                if (document.RootElement.ValueKind != JsonValueKind.Object)
                {
                    Fail("expected one JSON object per line");
                    continue;
                }

                read(document.RootElement, Fail);
            }
            catch (JsonException ex)
            {
                Fail($"not valid JSON ({ex.Message.Split('.')[0]})");
            }
        }
    }

    private static string? RequiredString(JsonElement root, string name, Action<string> fail)
    {
        var value = OptionalString(root, name, fail);
        if (string.IsNullOrWhiteSpace(value))
        {
            fail($"missing \"{name}\"");
            return null;
        }

        return value;
    }

    private static string? OptionalString(JsonElement root, string name, Action<string> fail)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            fail($"\"{name}\" must be a string");
            return null;
        }

        return value.GetString();
    }

    private static List<string> OptionalStrings(JsonElement root, string name, Action<string> fail)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        if (value.ValueKind != JsonValueKind.Array || value.EnumerateArray().Any(v => v.ValueKind != JsonValueKind.String))
        {
            fail($"\"{name}\" must be an array of strings");
            return [];
        }

        return [.. value.EnumerateArray().Select(v => v.GetString()!)];
    }
}
