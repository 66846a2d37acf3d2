using System.Text;

namespace IntegrationHub.Connectors.Abstractions;

/// <summary>A transcript rendered as a file for attaching to a ticket.</summary>
public sealed record TranscriptFile(string FileName, string ContentType, ReadOnlyMemory<byte> Content)
{
    /// <summary>Renders a plain-text transcript (<c>transcript.txt</c>).</summary>
    public static TranscriptFile FromMessages(string conversationId, IEnumerable<TranscriptMessage> messages) =>
        new($"transcript-{conversationId}.txt", "text/plain", Encoding.UTF8.GetBytes(TranscriptFormatter.PlainText(messages)));

    public string Text => Encoding.UTF8.GetString(Content.Span);
}
