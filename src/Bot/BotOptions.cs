using IntegrationHub.Bot.Handoff;
using IntegrationHub.Bot.Redaction;

namespace IntegrationHub.Bot;

/// <summary>
/// Settings of the built-in bot: the <c>builtin-bot</c> entry of <c>connectors.json</c>
/// (see <c>manifest.json</c> beside this file for the schema).
/// </summary>
public sealed class BotOptions
{
    /// <summary>Calibrated intent confidence needed to act on an intent (0–1).</summary>
    public double ConfidenceThreshold { get; set; } = 0.5;

    /// <summary>Below this intent confidence a message is out of scope; between the two it is ambiguous.</summary>
    public double OutOfScopeThreshold { get; set; } = 0.2;

    /// <summary>Retrieval confidence (share of the question's weighted terms a passage covers) needed to answer.</summary>
    public double AnswerThreshold { get; set; } = 0.4;

    /// <summary>Hand off on the second miss in a row when there is nothing sensible to offer.</summary>
    public bool HandoffOnSecondMiss { get; set; } = true;

    /// <summary>Intents always handed to a human, in addition to intents whose routing is <c>human</c>.</summary>
    public List<string> HumanOnlyIntents { get; set; } = [];

    /// <summary>Contact segments that always go to a human (e.g. <c>vip</c>).</summary>
    public List<string> VipSegments { get; set; } = [];

    /// <summary>Hand off when sentiment is at least this bad: <c>frustrated</c> (default), <c>negative</c> or <c>off</c>.</summary>
    public string SentimentHandoff { get; set; } = "frustrated";

    /// <summary>Folders of Markdown/HTML the hub registers as knowledge sources.</summary>
    public List<string> KnowledgeFolders { get; set; } = [];

    /// <summary>Extra patterns to mask, besides Luhn-valid card numbers.</summary>
    public List<RedactionPattern> RedactionPatterns { get; set; } = [];

    /// <summary>When humans are available; null = always.</summary>
    public BusinessHoursOptions? BusinessHours { get; set; }

    /// <summary>Use the configured chat model for intent detection when the built-in classifier is unsure.</summary>
    public bool UseModelForIntents { get; set; } = true;

    /// <summary>Seconds allowed for one model call before falling back to the built-in engine.</summary>
    public double ModelTimeoutSeconds { get; set; } = 8;

    public KnowledgeOptions Knowledge { get; set; } = new();
}
