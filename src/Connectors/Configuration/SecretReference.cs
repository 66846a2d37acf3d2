namespace IntegrationHub.Connectors.Configuration;

/// <summary>
/// A pointer to a secret: <c>env:NAME</c> or a file path (<c>file:PATH</c>, or a path starting
/// with <c>/</c>, <c>./</c> or <c>../</c>). The value is read when needed, so rotation needs no restart.
/// </summary>
/// <remarks><see cref="ToString"/> returns the reference, never the value: safe to log.</remarks>
public sealed class SecretReference
{
    SecretReference(string reference, string? envName, string? path)
    {
        Reference = reference;
        EnvironmentVariable = envName;
        FilePath = path;
    }

    public string Reference { get; }
    public string? EnvironmentVariable { get; }
    public string? FilePath { get; }

    /// <summary>Parses a reference; a literal secret is refused with the reason.</summary>
    public static bool TryParse(string? text, out SecretReference? reference, out string error)
    {
        reference = null;
        error = "";
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "is empty; expected env:NAME or a file path";
            return false;
        }
        if (text.StartsWith("env:", StringComparison.Ordinal))
        {
            var name = text[4..];
            if (name.Length == 0 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
            {
                error = $"'{text}' is not a valid env: reference (letters, digits and _ only)";
                return false;
            }
            reference = new SecretReference(text, name, null);
            return true;
        }
        var path = text.StartsWith("file:", StringComparison.Ordinal) ? text[5..]
            : text.StartsWith('/') || text.StartsWith("./", StringComparison.Ordinal) || text.StartsWith("../", StringComparison.Ordinal) ? text
            : null;
        if (string.IsNullOrEmpty(path))
        {
            // Never echo the text: it may be the literal secret someone pasted.
            error = "must be a secret reference (env:NAME or a file path), not a literal value";
            return false;
        }
        reference = new SecretReference(text, null, path);
        return true;
    }

    /// <summary>Reads the secret, or says why it cannot (without the value).</summary>
    public bool TryResolve(string baseDirectory, out string value, out string error)
    {
        value = "";
        error = "";
        if (EnvironmentVariable is { } name)
        {
            value = Environment.GetEnvironmentVariable(name) ?? "";
            if (value.Length == 0) error = $"environment variable {name} is not set";
            return value.Length > 0;
        }
        var full = Path.GetFullPath(FilePath!, baseDirectory);
        if (!File.Exists(full))
        {
            error = $"secret file {full} does not exist";
            return false;
        }
        value = File.ReadAllText(full).Trim();
        if (value.Length == 0) error = $"secret file {full} is empty";
        return value.Length > 0;
    }

    public override string ToString() => Reference;
}
