namespace Scoutflo.Http.Integrations.Load;

/// <summary><c>--name value</c> pairs after the scenario name, with environment fallbacks.</summary>
internal sealed class LoadArgs
{
    private readonly Dictionary<string, string> _values = new(StringComparer.OrdinalIgnoreCase);

    public LoadArgs(IEnumerable<string> args)
    {
        string? name = null;
        foreach (var arg in args)
        {
            if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                name = arg[2..];
                _values[name] = "true";
            }
            else if (name is not null)
            {
                _values[name] = arg;
                name = null;
            }
        }
    }

    public int Int(string name, int fallback) =>
        _values.TryGetValue(name, out var value) ? int.Parse(value, System.Globalization.CultureInfo.InvariantCulture) : fallback;

    public string? String(string name, params string[] environment)
    {
        if (_values.TryGetValue(name, out var value))
        {
            return value;
        }

        return environment.Select(Environment.GetEnvironmentVariable).FirstOrDefault(v => !string.IsNullOrEmpty(v));
    }

    public string Required(string name, params string[] environment) =>
        String(name, environment) ?? throw new ArgumentException($"--{name} (or {string.Join(" / ", environment)}) is required.");
}
