using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using IntegrationHub.Bot.Intents;
using IntegrationHub.Bot.Knowledge;
using IntegrationHub.Connectors.Abstractions;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Bot.AI;

/// <summary>
/// The bot's uses of a chat model: intent detection over the definitions, grounded answers from
/// numbered passages, and agent drafts. Every method reports failure instead of throwing, so the
/// caller falls back to the built-in engine.
/// </summary>
internal sealed partial class ModelAssistant(IChatClient chat, ILogger logger)
{
    public const string NoAnswer = "NO_ANSWER";
    public const string NoSources = "NO_SOURCES";

    const string AnswerInstructions =
        "You answer customer questions for a support team using ONLY the numbered passages provided. " +
        "Use only facts stated in the passages. Cite each passage you use with its number in square brackets, e.g. [1]. " +
        $"If the passages do not answer the question, reply with exactly {NoAnswer} and nothing else. " +
        "Be brief (at most four sentences) and friendly. Plain text, no markdown.";

    const string DraftInstructions =
        "You draft a reply that a human support agent will review and send to the customer. " +
        "Use ONLY the numbered passages for facts and cite each one you use like [1]. " +
        $"If the passages do not cover the customer's request, start with {NoSources} and then write a short, polite holding reply that invents no facts. " +
        "At most six sentences, plain text.";

    const string IntentInstructions =
        "Classify the customer's message into exactly one of the intents listed, or \"none\" if no intent fits. " +
        "Reply with JSON only: {\"intent\": \"<intent name or none>\", \"confidence\": <number from 0 to 1>}.";

    [GeneratedRegex(@"\[(\d{1,2})\]")]
    private static partial Regex CitationMarker();

    public async Task<IntentPrediction?> DetectIntentAsync(string message, IReadOnlyCollection<IntentDefinition> intents, CancellationToken cancellationToken)
    {
        var list = new StringBuilder();
        foreach (var intent in intents.OrderBy(i => i.Name, StringComparer.Ordinal))
            list.Append($"- {intent.Name}: {intent.DisplayName}. Examples: {string.Join("; ", intent.Examples.Take(3).Select(e => $"\"{e}\""))}\n");
        var text = await CallAsync([
            new ChatMessage(ChatRole.System, IntentInstructions),
            new ChatMessage(ChatRole.User, $"Intents:\n{list}\nMessage: {message}"),
        ], new ChatOptions { ResponseFormat = ChatResponseFormat.Json, Temperature = 0 }, cancellationToken);
        if (text is null) return null;
        try
        {
            using var json = JsonDocument.Parse(ExtractJson(text));
            var name = json.RootElement.GetProperty("intent").GetString();
            var confidence = json.RootElement.TryGetProperty("confidence", out var c) && c.ValueKind == JsonValueKind.Number ? Math.Clamp(c.GetDouble(), 0, 1) : 0.5;
            if (name is null || name == "none") return new IntentPrediction(null, confidence, true, []);
            if (!intents.Any(i => i.Name == name)) return null; // an invented intent is no answer
            return new IntentPrediction(name, confidence, false, [new IntentScore(name, confidence)]);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            logger.LogWarning("Model intent reply was not the requested JSON; using the built-in classifier");
            return null;
        }
    }

    public async Task<(ModelOutcome Outcome, GroundedAnswer? Answer)> AnswerAsync(string question, IReadOnlyList<RetrievedPassage> passages, CancellationToken cancellationToken)
    {
        var text = await CallAsync([
            new ChatMessage(ChatRole.System, AnswerInstructions),
            new ChatMessage(ChatRole.User, $"Passages:\n{Numbered(passages)}\nQuestion: {question}"),
        ], null, cancellationToken);
        if (text is null) return (ModelOutcome.Failed, null);
        if (text.Contains(NoAnswer, StringComparison.Ordinal)) return (ModelOutcome.Refused, null);
        return Cite(text, passages) is { } answer ? (ModelOutcome.Answered, answer) : (ModelOutcome.Failed, null);
    }

    public async Task<(ModelOutcome Outcome, GroundedAnswer? Draft)> DraftAsync(IReadOnlyList<TranscriptMessage> transcript, IReadOnlyList<RetrievedPassage> passages,
        string? instructions, CancellationToken cancellationToken)
    {
        var conversation = string.Join('\n', transcript.Where(m => m.Visibility == "public").TakeLast(12)
            .Select(m => $"{CustomerMessagesRole(m.Author)}: {m.Body}"));
        var prompt = $"Passages:\n{(passages.Count == 0 ? "(none)\n" : Numbered(passages))}\nConversation:\n{conversation}\n"
            + (string.IsNullOrWhiteSpace(instructions) ? "" : $"\nAgent's instructions: {instructions}\n");
        var text = await CallAsync([new ChatMessage(ChatRole.System, DraftInstructions), new ChatMessage(ChatRole.User, prompt)], null, cancellationToken);
        if (text is null) return (ModelOutcome.Failed, null);
        if (text.TrimStart().StartsWith(NoSources, StringComparison.Ordinal))
            return (ModelOutcome.Refused, new GroundedAnswer(text.TrimStart()[NoSources.Length..].Trim(' ', ':', '\n'), [], "model"));
        return Cite(text, passages) is { } draft ? (ModelOutcome.Answered, draft) : (ModelOutcome.Failed, null);
    }

    static string CustomerMessagesRole(string author) => author switch { "customer" => "Customer", "agent" => "Agent", "bot" => "Bot", _ => "System" };

    async Task<string?> CallAsync(IList<ChatMessage> messages, ChatOptions? options, CancellationToken cancellationToken)
    {
        try
        {
            var response = await chat.GetResponseAsync(messages, options, cancellationToken);
            var text = response.Text?.Trim();
            return string.IsNullOrEmpty(text) ? null : text;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            // Timeouts, HTTP errors, bad JSON: the built-in engine answers instead. Never log prompts (customer text).
            logger.LogWarning("Model call failed ({Error}: {Message}); falling back to the built-in engine", e.GetType().Name, e.Message);
            return null;
        }
    }

    static string Numbered(IReadOnlyList<RetrievedPassage> passages)
    {
        var builder = new StringBuilder();
        for (var i = 0; i < passages.Count; i++)
            builder.Append($"[{i + 1}] {passages[i].Chunk.CitationTitle}\n{passages[i].Chunk.Text}\n\n");
        return builder.ToString();
    }

    /// <summary>Keeps only replies that cite a real passage; renumbers citations in order of first use.</summary>
    static GroundedAnswer? Cite(string text, IReadOnlyList<RetrievedPassage> passages)
    {
        var used = new List<int>();
        foreach (Match m in CitationMarker().Matches(text))
        {
            var n = int.Parse(m.Groups[1].Value);
            if (n >= 1 && n <= passages.Count && !used.Contains(n)) used.Add(n);
        }
        if (used.Count == 0) return null; // uncited text cannot be shown as grounded
        var renumbered = CitationMarker().Replace(text, m =>
        {
            var n = int.Parse(m.Groups[1].Value);
            var index = used.IndexOf(n);
            return index < 0 ? "" : $"[{index + 1}]";
        });
        var citations = used.Select(n => GroundedAnswerComposer.ToCitation(passages[n - 1].Chunk)).ToList<Citation>();
        return new GroundedAnswer(renumbered.Trim(), citations, "model");
    }

    static string ExtractJson(string text)
    {
        var start = text.IndexOf('{');
        var end = text.LastIndexOf('}');
        return start >= 0 && end > start ? text[start..(end + 1)] : text;
    }
}
