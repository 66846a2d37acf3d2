using Microsoft.AspNetCore.Cors.Infrastructure;

namespace IntegrationHub.Hub.Channels.WebChat;

/// <summary>
/// Lets a page call the web chat API from another origin when some enabled site lists that origin;
/// follows connectors.json as it is reloaded. Per-site checks happen again in the API.
/// </summary>
internal sealed class WebChatCorsPolicyProvider(WebChatSites sites) : ICorsPolicyProvider
{
    public Task<CorsPolicy?> GetPolicyAsync(HttpContext context, string? policyName)
    {
        var origin = context.Request.Headers.Origin.ToString();
        if (origin.Length == 0 || !sites.All.Any(site => site.AllowsOrigin(origin, hubOrigin: "")))
            return Task.FromResult<CorsPolicy?>(null);
        var policy = new CorsPolicyBuilder().WithOrigins(origin).AllowAnyHeader().AllowAnyMethod().Build();
        return Task.FromResult<CorsPolicy?>(policy);
    }
}
