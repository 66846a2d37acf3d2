using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using IntegrationHub.FakeServers.Zendesk;

namespace IntegrationHub.Hub.Tests.Helpdesk;

/// <summary>
/// A person working in Zendesk, through Zendesk's own API (the fake's): an admin pointing an event-subscription
/// webhook at the hub, an agent replying, writing internal notes and solving tickets. The fake then sends its
/// signed webhooks as Zendesk does.
/// </summary>
internal sealed class ZendeskAgentClient : IDisposable
{
    readonly HttpClient http;

    public ZendeskAgentClient(ZendeskFake zendesk, string email)
    {
        http = new HttpClient { BaseAddress = zendesk.BaseUrl };
        // https://developer.zendesk.com/api-reference/introduction/security-and-auth/: {email}/token:{api_token}
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{email}/token:{zendesk.ApiToken}")));
    }

    /// <summary>The admin's setup: comment and status events of every ticket go to the hub's webhook endpoint.</summary>
    public async Task SubscribeAsync(Uri endpoint)
    {
        var response = await http.PostAsJsonAsync("api/v2/webhooks", new
        {
            webhook = new
            {
                name = "IntegrationHub", status = "active", endpoint = endpoint.ToString(), http_method = "POST", request_format = "json",
                subscriptions = new[] { ZendeskFake.CommentAddedEvent, ZendeskFake.StatusChangedEvent },
            },
        });
        response.EnsureSuccessStatusCode();
    }

    /// <summary>A public reply (to the customer) or an internal note (<paramref name="isPublic"/> false), by this agent.</summary>
    public Task CommentAsync(string ticketId, string body, bool isPublic = true) =>
        UpdateAsync(ticketId, new { ticket = new { comment = new { body, @public = isPublic } } });

    public Task SolveAsync(string ticketId) => UpdateAsync(ticketId, new { ticket = new { status = "solved" } });

    async Task UpdateAsync(string ticketId, object body)
    {
        // https://developer.zendesk.com/api-reference/ticketing/tickets/tickets/#update-ticket
        var response = await http.PutAsJsonAsync($"api/v2/tickets/{ticketId}.json", body);
        response.EnsureSuccessStatusCode();
    }

    public void Dispose() => http.Dispose();
}
