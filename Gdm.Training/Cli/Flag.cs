using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Numerics;

namespace Gdm.Training.Cli;

/// <summary>
/// The options of gdm-train and the benches, declared one way: the value's unit as its help name (`--steps
/// &lt;STEPS&gt;`), the default in the help (`[default: 4000]`, from the value or, when the default is not a constant,
/// as words), and a bad value rejected at parse time in the user's words (`--steps must be a whole number, got
/// 'ten'`), never with a .NET type name. Linked into bench/ as a source file, so every tool reads the same way.
/// </summary>
public static class Flag
{
    /// <summary>A number with a constant default and a lower bound.</summary>
    public static Option<T> Number<T>(string name, string unit, string description, T defaultValue, T minimum)
        where T : struct, INumber<T> =>
        new(name)
        {
            HelpName = unit,
            Description = description,
            DefaultValueFactory = _ => defaultValue,
            CustomParser = result => Parse(result, name, minimum),
        };

    /// <summary>A number whose default is not a constant (the run's saved value, "none"): null when not given.</summary>
    public static Option<T?> OptionalNumber<T>(string name, string unit, string description, string defaultText, T minimum)
        where T : struct, INumber<T> =>
        new(name)
        {
            HelpName = unit,
            Description = WithDefault(description, defaultText),
            CustomParser = result => Parse(result, name, minimum),
        };

    public static Option<string> Text(string name, string unit, string description, string defaultValue) =>
        new(name) { HelpName = unit, Description = description, DefaultValueFactory = _ => defaultValue };

    /// <summary>One of a few words; any other is refused at parse time with the list.</summary>
    public static Option<string> Choice(string name, string unit, string description, string defaultValue, IReadOnlyList<string> choices)
    {
        var option = Text(name, unit, description, defaultValue);
        option.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<string>();
            if (!choices.Contains(value))
                result.AddError($"{name} must be one of {string.Join(", ", choices)}, got '{value}'");
        });
        return option;
    }

    /// <summary>Text whose default is not a constant: null when not given.</summary>
    public static Option<string?> OptionalText(string name, string unit, string description, string defaultText) =>
        new(name) { HelpName = unit, Description = WithDefault(description, defaultText) };

    public static Option<string> Required(string name, string unit, string description) =>
        new(name) { HelpName = unit, Description = description, Required = true };

    /// <summary>A switch that takes no value; its default is said in words (on or off).</summary>
    public static Option<bool> Switch(string name, string description, string defaultText = "off") =>
        new(name) { Description = WithDefault(description, defaultText), Arity = ArgumentArity.Zero };

    /// <summary>
    /// A comma-separated list, each item read by parse (which throws FormatException); null when not given, empty
    /// for "" or "none".
    /// </summary>
    public static Option<IReadOnlyList<T>?> List<T>(string name, string unit, string description, string defaultText, Func<string, T> parse) =>
        new(name)
        {
            HelpName = unit,
            Description = WithDefault(description, defaultText),
            CustomParser = result =>
            {
                var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
                if (text.Trim() == "none")
                    return [];
                try
                {
                    return text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(parse).ToArray();
                }
                catch (FormatException e)
                {
                    result.AddError($"{name}: {e.Message}");
                    return null;
                }
            },
        };

    /// <summary>A whole number in a list, in the words the lists' errors use.</summary>
    public static int WholeNumber(string text) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new FormatException($"'{text}' is not a whole number");

    public static double RealNumber(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
            ? value
            : throw new FormatException($"'{text}' is not a number");

    private static string WithDefault(string description, string defaultText) => $"{description} [default: {defaultText}]";

    private static T Parse<T>(ArgumentResult result, string name, T minimum) where T : struct, INumber<T>
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
        var whole = typeof(T) != typeof(double) && typeof(T) != typeof(float);
        var style = whole ? NumberStyles.Integer : NumberStyles.Float;
        if (!T.TryParse(text, style, CultureInfo.InvariantCulture, out var value) || !T.IsFinite(value))
        {
            result.AddError($"{name} must be {(whole ? "a whole number" : "a number")}, got '{text}'");
            return minimum;
        }

        if (value < minimum)
            result.AddError(string.Create(CultureInfo.InvariantCulture, $"{name} must be at least {minimum}, got {text}"));
        return value;
    }
}
