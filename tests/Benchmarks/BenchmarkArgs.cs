namespace IntegrationHub.Benchmarks;

/// <summary>`--name value` options with defaults.</summary>
internal sealed class BenchmarkArgs(string[] args)
{
    public string Get(string name, string fallback)
    {
        var index = Array.IndexOf(args, $"--{name}");
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : fallback;
    }

    public int Get(string name, int fallback) => int.Parse(Get(name, fallback.ToString()));
}
