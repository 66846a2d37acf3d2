namespace IntegrationHub.Bot.Text;

/// <summary>FNV-1a 64-bit hashing of feature strings.</summary>
/// <remarks>
/// <see cref="string.GetHashCode()"/> is randomised per process; features must hash identically on
/// every node and every run, so indexes and models built from the same data agree bit for bit.
/// </remarks>
internal static class Fnv
{
    const ulong Offset = 14695981039346656037UL;
    const ulong Prime = 1099511628211UL;

    public static ulong Hash(byte kind, ReadOnlySpan<char> text)
    {
        var hash = (Offset ^ kind) * Prime;
        foreach (var c in text)
        {
            hash = (hash ^ (byte)c) * Prime;
            hash = (hash ^ (byte)(c >> 8)) * Prime;
        }
        return hash;
    }

    public static ulong Hash(byte kind, ReadOnlySpan<char> first, ReadOnlySpan<char> second)
    {
        var hash = Hash(kind, first);
        hash = (hash ^ 0x1F) * Prime;
        foreach (var c in second)
        {
            hash = (hash ^ (byte)c) * Prime;
            hash = (hash ^ (byte)(c >> 8)) * Prime;
        }
        return hash;
    }
}
