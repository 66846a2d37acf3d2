using IntegrationHub.Connectors.Configuration;
using IntegrationHub.Hub.Configuration;

namespace IntegrationHub.Hub.Channels.WebChat;

/// <summary>The enabled web chat sites of the current connectors.json, re-bound when it changes.</summary>
public sealed class WebChatSites(ConnectorsConfigurationMonitor monitor)
{
    public const string Type = "webchat";
    (ConnectorsConfiguration Source, IReadOnlyDictionary<string, WebChatSite> Sites)? cache;

    public WebChatSite? Find(string siteId) => Current().GetValueOrDefault(siteId);

    public IEnumerable<WebChatSite> All => Current().Values;

    IReadOnlyDictionary<string, WebChatSite> Current()
    {
        var configuration = monitor.Current;
        if (cache is { } c && ReferenceEquals(c.Source, configuration)) return c.Sites;
        var sites = configuration.EnabledOfType(Type).ToDictionary(c => c.Id, c => new WebChatSite(c, c.Bind<WebChatSettings>()));
        cache = (configuration, sites);
        return sites;
    }
}
