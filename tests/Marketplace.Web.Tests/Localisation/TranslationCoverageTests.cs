using System.Text.RegularExpressions;
using System.Xml.Linq;
using Marketplace.Web.Tests.Infrastructure;

namespace Marketplace.Web.Tests.Localisation;

/// <summary>
/// Every string a view passes through a localizer has a zh-CN translation, so a Chinese user never meets an
/// English label by accident. Reads the views as text: which localizer a name means comes from the nearest
/// _ViewImports.cshtml (`@inject IStringLocalizer&lt;X&gt; Name`).
/// </summary>
public sealed partial class TranslationCoverageTests
{
    private static readonly string Features = Path.Combine(MarketplaceFactory.RepositoryRoot, "src", "Marketplace.Web", "Features");

    [GeneratedRegex(@"@inject\s+IStringLocalizer<(?<type>\w+)>\s+(?<name>\w+)")]
    private static partial Regex InjectPattern();

    [Fact]
    public void EveryLocalisedViewString_HasAChineseTranslation()
    {
        var missing = new List<string>();
        var resources = new Dictionary<string, HashSet<string>>();
        var views = Directory.GetFiles(Features, "*.cshtml", SearchOption.AllDirectories)
            .Where(v => !Path.GetFileName(v).StartsWith("_ViewImports", StringComparison.Ordinal));
        var checkedStrings = 0;

        foreach (var view in views)
        {
            foreach (var (name, type) in LocalizersFor(view))
            {
                var keys = resources.TryGetValue(type, out var known) ? known : resources[type] = ReadTranslations(type);
                var usage = new Regex($@"(?<![\w.]){Regex.Escape(name)}\[""(?<key>(?:[^""\\]|\\.)*)""");
                // A count's two keys: L.Counted("1 day", "{0} days", n) (CountedText).
                var counted = new Regex($@"(?<![\w.]){Regex.Escape(name)}\.Counted\(""(?<key>(?:[^""\\]|\\.)*)"",\s*""(?<key>(?:[^""\\]|\\.)*)""");
                var text = File.ReadAllText(view);
                foreach (var found in usage.Matches(text).SelectMany(m => m.Groups["key"].Captures).Concat(counted.Matches(text).SelectMany(m => m.Groups["key"].Captures)))
                {
                    checkedStrings++;
                    var key = Regex.Unescape(found.Value);
                    if (!keys.Contains(key))
                    {
                        missing.Add($"{Path.GetRelativePath(Features, view)}: {type} has no zh-CN text for \"{key}\"");
                    }
                }
            }
        }

        Assert.True(checkedStrings > 100, $"only {checkedStrings} localised strings found; is the scan broken?");
        Assert.True(missing.Count == 0, string.Join(Environment.NewLine, missing.Distinct()));
    }

    /// <summary>The localizers in scope for a view: the nearest _ViewImports declaring each name wins.</summary>
    private static Dictionary<string, string> LocalizersFor(string view)
    {
        var scope = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var folder = Path.GetDirectoryName(view); folder is not null && folder.StartsWith(Features, StringComparison.Ordinal); folder = Path.GetDirectoryName(folder))
        {
            var imports = Path.Combine(folder, "_ViewImports.cshtml");
            if (File.Exists(imports))
            {
                foreach (Match match in InjectPattern().Matches(File.ReadAllText(imports)))
                {
                    scope.TryAdd(match.Groups["name"].Value, match.Groups["type"].Value);
                }
            }
        }

        foreach (Match match in InjectPattern().Matches(File.ReadAllText(view)))
        {
            scope[match.Groups["name"].Value] = match.Groups["type"].Value;
        }

        return scope;
    }

    private static HashSet<string> ReadTranslations(string type)
    {
        var file = Directory.GetFiles(Features, $"{type}.zh-CN.resx", SearchOption.AllDirectories).SingleOrDefault();
        Assert.True(file is not null, $"No {type}.zh-CN.resx under Features/");
        return XDocument.Load(file).Root!.Elements("data").Select(d => (string)d.Attribute("name")!).ToHashSet(StringComparer.Ordinal);
    }
}
