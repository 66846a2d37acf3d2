namespace IntegrationHub.Bot.Handoff;

/// <summary>When humans answer. Outside these hours the bot takes a structured intake and says when a person will reply.</summary>
public sealed class BusinessHoursOptions
{
    /// <summary>IANA time zone, e.g. <c>Europe/Berlin</c>.</summary>
    public string TimeZone { get; set; } = "UTC";

    /// <summary>Opening days: <c>mon</c> … <c>sun</c>.</summary>
    public List<string> Days { get; set; } = ["mon", "tue", "wed", "thu", "fri"];

    /// <summary>Opening time, <c>HH:mm</c> local.</summary>
    public string Open { get; set; } = "09:00";

    /// <summary>Closing time, <c>HH:mm</c> local.</summary>
    public string Close { get; set; } = "17:00";

    /// <summary>Closed dates, <c>yyyy-MM-dd</c> local.</summary>
    public List<string> Holidays { get; set; } = [];

    /// <summary>What the after-hours intake asks for, in order: <c>name</c>, <c>email</c>, <c>phone</c>, <c>details</c>.</summary>
    public List<string> IntakeFields { get; set; } = ["name", "email", "details"];
}
