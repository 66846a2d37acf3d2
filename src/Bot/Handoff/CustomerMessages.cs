namespace IntegrationHub.Bot.Handoff;

/// <summary>What the customer is told: why a human is taking over and what happens next. Plain, honest, no promises the hub cannot keep.</summary>
internal static class CustomerMessages
{
    public const string Clarify = "I'm not sure I understood. Could you say that another way, or add a detail such as an order number?";
    public const string OfferOptions = "I still couldn't find an answer. Is it one of these?";
    public const string TalkToPerson = "Talk to a person";
    public const string Greeting = "Hi! How can I help you today?";

    public static string Why(string reason) => reason switch
    {
        HandoffReasons.CustomerRequest => "Of course, I'm passing you to a member of our team.",
        HandoffReasons.Frustration => "I'm sorry this has been frustrating. I'm passing you to a member of our team who can sort it out.",
        HandoffReasons.VipSegment => "I'm passing you straight to our team, who look after your account personally.",
        HandoffReasons.HumanOnlyIntent => "This is something our team handles personally, so I'm passing you to a colleague.",
        HandoffReasons.Unresolved => "I couldn't resolve this myself, so I'm passing you to a member of our team.",
        _ => "I can't answer this one reliably myself, so I'm passing you to a member of our team.",
    };

    public static string Next(bool collectedDetails, string? afterHoursWhen) =>
        (collectedDetails
            ? "They'll see our conversation and the details you gave, so you won't need to repeat yourself. "
            : "They'll see our conversation so far, so you won't need to repeat yourself. ")
        + (afterHoursWhen is null
            ? "Someone will reply here as soon as they're free."
            : $"Our team is offline right now; a person will reply here when we open, {afterHoursWhen}.");

    public static string IntakeIntro(string when) =>
        $"Our team is offline right now and will be back {when}. So a person can pick this up straight away then, ";

    public static string IntakePrompt(string field) => field switch
    {
        "name" => "what's your name?",
        "email" => "what email address can we reach you at?",
        "phone" => "what phone number can we reach you on?",
        "details" => "please describe briefly what you need help with.",
        _ => $"what is your {field.Replace('_', ' ')}?",
    };

    public static string Capitalize(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
