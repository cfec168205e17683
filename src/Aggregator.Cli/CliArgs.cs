namespace Aggregator.Cli;

/// <summary>Positional arguments and --name value / --flag options, in any order.</summary>
public sealed class CliArgs
{
    private readonly Dictionary<string, string?> _options = new(StringComparer.Ordinal);

    public List<string> Positional { get; } = [];

    public CliArgs(IEnumerable<string> args, params string[] flags)
    {
        using var e = args.GetEnumerator();
        while (e.MoveNext())
        {
            var arg = e.Current;
            if (!arg.StartsWith("--")) { Positional.Add(arg); continue; }
            var name = arg[2..];
            if (flags.Contains(name)) { _options[name] = null; continue; }
            if (!e.MoveNext()) throw new ArgumentException($"--{name} needs a value.");
            _options[name] = e.Current;
        }
    }

    public string? Option(string name) => _options.TryGetValue(name, out var value) ? value : null;
    public bool Flag(string name) => _options.ContainsKey(name);
}
