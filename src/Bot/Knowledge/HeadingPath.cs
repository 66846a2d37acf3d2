namespace IntegrationHub.Bot.Knowledge;

/// <summary>The stack of open headings while walking a document top to bottom.</summary>
internal sealed class HeadingPath
{
    readonly List<(int Level, string Text)> _stack = [];

    public string Push(int level, string text)
    {
        while (_stack.Count > 0 && _stack[^1].Level >= level) _stack.RemoveAt(_stack.Count - 1);
        _stack.Add((level, text));
        return ToString();
    }

    public override string ToString() => string.Join(" › ", _stack.Select(s => s.Text));
}
