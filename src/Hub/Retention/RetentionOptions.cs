namespace IntegrationHub.Hub.Retention;

/// <summary>The <c>Hub:Retention</c> section: how long closed conversations are kept, per channel.</summary>
public sealed class RetentionOptions
{
    /// <summary>Off unless an admin turns it on: nothing is ever removed by default.</summary>
    public bool Enabled { get; set; }

    /// <summary><c>purge</c> removes closed conversations entirely (event counts are kept); <c>anonymise</c> blanks their messages and removes attachments.</summary>
    public string Mode { get; set; } = "anonymise";

    /// <summary>Days a closed conversation is kept on channels without their own entry; 0 keeps them forever.</summary>
    public int Days { get; set; }

    /// <summary>Channel (e.g. <c>webchat</c>) → days to keep its closed conversations.</summary>
    public Dictionary<string, int> Channels { get; set; } = [];

    /// <summary>How often the recurring job runs.</summary>
    public double IntervalHours { get; set; } = 24;
}
