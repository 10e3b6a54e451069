using System.Collections;
using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;

namespace Marketplace.Core.Common;

/// <summary>Marks a text property that is one line (a title, a name): line breaks and tabs are refused there too.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class SingleLineAttribute : Attribute;

/// <summary>
/// The one check that keeps invisible and deceptive characters out of everything people type (issue #12): C0 and C1
/// control characters (NUL, BEL, ESC, DEL …) and the bidirectional embeddings, overrides and isolates
/// (U+202A–U+202E, U+2066–U+2069), which can make a title read differently from what it is. Tab, line feed and
/// carriage return are allowed, except in properties marked <see cref="SingleLineAttribute"/>.
/// <see cref="UseCaseRunner"/> applies it to every request before a use case runs, so pages, the API and the CLI
/// refuse such text with a field error and store nothing; no field has to remember to ask.
/// </summary>
public static class TextSafety
{
    public const string Message = "Remove control characters and text-direction overrides (such as U+202E) from this text.";

    public const string LineBreakMessage = "This text is a single line: remove the line breaks and tabs.";

    private const int MaxDepth = 6;

    private static readonly ConcurrentDictionary<Type, PropertyInfo[]> Properties = new();

    private static readonly Assembly Core = typeof(TextSafety).Assembly;

    /// <summary>A character no text field accepts (line breaks and tabs aside).</summary>
    public static bool IsForbidden(char c) =>
        c is not ('\t' or '\n' or '\r') && (char.IsControl(c) || c is >= '\u202A' and <= '\u202E' || c is >= '\u2066' and <= '\u2069');

    public static bool IsSafe(string? text, bool singleLine = false) =>
        text is null || !text.Any(c => IsForbidden(c) || (singleLine && c is '\t' or '\n' or '\r'));

    /// <summary>Field errors for every unsafe text in a request (camel-case paths, as the use cases name fields), or null.</summary>
    public static Error? Check(object? request)
    {
        var errors = new ValidationErrors();
        Walk(request, "", errors, 0);
        return errors.IsEmpty ? null : errors.ToError();
    }

    private static void Walk(object? value, string path, ValidationErrors errors, int depth)
    {
        if (value is null || depth > MaxDepth)
        {
            return;
        }

        foreach (var property in Properties.GetOrAdd(value.GetType(), ReadableInputs))
        {
            var field = Join(path, JsonNamingPolicy.CamelCase.ConvertName(property.Name));
            var singleLine = property.GetCustomAttribute<SingleLineAttribute>() is not null;
            switch (property.GetValue(value))
            {
                case string text:
                    CheckText(text, field, singleLine, errors);
                    break;
                case IDictionary entries:
                    // A map of texts by key (an award's feedback by proposal id): each value is checked under "field[key]",
                    // the name the use cases give it. Without this case the enumeration below sees key-value pairs, not texts.
                    foreach (DictionaryEntry entry in entries)
                    {
                        if (entry.Value is string text)
                        {
                            CheckText(text, $"{field}[{entry.Key}]", singleLine, errors);
                        }
                        else if (entry.Value is not null && entry.Value.GetType().Assembly == Core)
                        {
                            Walk(entry.Value, $"{field}[{entry.Key}]", errors, depth + 1);
                        }
                    }

                    break;
                case IEnumerable items:
                    var index = 0;
                    foreach (var item in items)
                    {
                        var itemField = $"{field}[{index++}]";
                        if (item is string text)
                        {
                            CheckText(text, itemField, singleLine, errors);
                        }
                        else if (item is not null && item.GetType().Assembly == Core)
                        {
                            Walk(item, itemField, errors, depth + 1);
                        }
                    }

                    break;
                case { } nested when nested.GetType().Assembly == Core && !nested.GetType().IsEnum:
                    // A request wrapping its input (Input, Draft …): the use cases name the input's fields without it.
                    Walk(nested, path, errors, depth + 1);
                    break;
            }
        }
    }

    private static void CheckText(string text, string field, bool singleLine, ValidationErrors errors)
    {
        if (text.Any(IsForbidden))
        {
            errors.Add(field, Message);
        }
        else if (singleLine && !IsSafe(text, singleLine: true))
        {
            errors.Add(field, LineBreakMessage);
        }
    }

    private static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    // The properties a caller sets: public, readable and settable (init included); computed ones are skipped.
    private static PropertyInfo[] ReadableInputs(Type type) =>
        type.IsPrimitive || type == typeof(string) || type.Assembly != Core
            ? []
            : type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Where(p => p.CanRead && p.SetMethod is not null && p.GetIndexParameters().Length == 0)
                .ToArray();
}
