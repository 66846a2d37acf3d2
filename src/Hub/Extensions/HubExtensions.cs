using IntegrationHub.Bot;
using IntegrationHub.Bot.Intents;
using IntegrationHub.Bot.Knowledge;
using IntegrationHub.Bot.Redaction;
using IntegrationHub.Connectors;
using IntegrationHub.Connectors.Abstractions;
using IntegrationHub.Connectors.Configuration;
using IntegrationHub.Hub.Apis;
using IntegrationHub.Hub.BotHosting;
using IntegrationHub.Hub.Channels.WebChat;
using IntegrationHub.Hub.Configuration;
using IntegrationHub.Hub.Conversations;
using IntegrationHub.Hub.Jobs;
using IntegrationHub.Hub.Helpdesk;
using IntegrationHub.Hub.OutboundWebhooks;
using IntegrationHub.Hub.Routing;
using IntegrationHub.Webhooks.Inbound;
using IntegrationHub.Hub.Realtime;
using IntegrationHub.Hub.Storage;
using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace IntegrationHub.Hub.Extensions;

public static class HubExtensions
{
    /// <summary>Registers the hub: store, connectors.json, channels, realtime, automation, limits.</summary>
    public static WebApplicationBuilder AddHub(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var hubSection = builder.Configuration.GetSection("Hub");
        services.Configure<HubOptions>(hubSection);
        services.AddSingleton(TimeProvider.System);

        var connectionString = builder.Configuration.GetConnectionString("Hub") ?? "Data Source=data/hub.db";
        var dialect = SqlDialect.FromConnectionString(connectionString, builder.Environment.ContentRootPath);
        services.AddSingleton(dialect);
        services.AddSingleton<SqlConversationStore>();
        services.AddSingleton<IConversationStore>(sp => sp.GetRequiredService<SqlConversationStore>());
        services.AddSingleton<IIntentStore, SqlIntentStore>();
        services.AddSingleton<IKnowledgeSourceStore, SqlKnowledgeSourceStore>();
        services.AddSingleton<IKnowledgeChunkStore, SqlKnowledgeChunkStore>();

        services.AddSingleton(ConnectorManifest.FromResource(typeof(WebChatApi).Assembly, "WebChat"));
        foreach (var manifest in BotManifests.All) services.AddSingleton(manifest);
        services.AddConnectors();
        // The registry builds vendor connectors from the current file; UseHub hands it every reload.
        services.AddSingleton(sp => sp.GetRequiredService<ConnectorsConfigurationMonitor>().Current);
        services.AddSingleton(sp => new ConnectorCatalog(sp.GetServices<ConnectorManifest>()));
        services.AddSingleton<ConnectorsConfigurationMonitor>();

        services.AddSingleton<ConversationFeed>();
        services.AddSingleton<CustomerTurns>();
        // The bot is built from connectors.json once it is loaded (and rebuilt on change): see HubBot.
        services.AddSingleton<BotContent>();
        services.AddSingleton<HubBot>();
        services.AddSingleton<IRedactor, CurrentRedactor>();
        services.AddSingleton<BotTurnRunner>();
        services.Configure<RoutingOptions>(hubSection.GetSection("Routing"));
        services.Configure<HelpdeskOptions>(hubSection.GetSection("Helpdesk"));
        services.AddSingleton<HandoffRouter>();
        services.AddSingleton<SqlTicketSyncStore>();
        services.AddKeyedSingleton<HelpdeskSignal>(HelpdeskHandoff.TicketsSignal);
        services.AddSingleton<HelpdeskHandoff>();
        services.AddSingleton<AgentDraftNotes>();
        services.Configure<InboundWebhookOptions>(hubSection.GetSection("Webhooks"));
        services.AddSingleton<SqlWebhookEventStore>();
        services.AddSingleton<IWebhookEventStore>(sp => sp.GetRequiredService<SqlWebhookEventStore>());
        services.AddSingleton<InboundWebhookPipeline>();
        services.AddKeyedSingleton<HelpdeskSignal>(WebhookEventDispatcher.Signal);
        services.Configure<TicketHistoryOptions>(hubSection.GetSection("Helpdesk:History"));
        services.AddSingleton<SqlTicketHistoryStore>();
        services.Configure<OutboundWebhookOptions>(hubSection.GetSection("OutboundWebhooks"));
        services.AddSingleton<SqlWebhookSubscriptionStore>();
        services.AddKeyedSingleton<HelpdeskSignal>(OutboundWebhookPublisher.Signal);
        services.AddSingleton<OutboundWebhookPublisher>();
        services.AddSingleton<IHubEventSink>(sp => sp.GetRequiredService<OutboundWebhookPublisher>());
        services.AddSingleton<ConversationService>();
        services.AddSingleton<WebChatSites>();
        services.AddSingleton<VisitorTokens>();

        // Start order matters: configuration and schema before anything that serves or acts.
        services.AddHostedService(sp => sp.GetRequiredService<ConnectorsConfigurationMonitor>());
        services.AddHostedService<StoreMigrator>();
        services.AddHostedService(sp => sp.GetRequiredService<HubBot>());
        services.AddHostedService<ConversationAutomation>();
        services.AddHostedService<UnansweredTurnsRecovery>();
        services.AddHostedService<KnowledgeFolderWatcher>();
        services.AddHostedService<TicketSyncWorker>();
        services.AddHostedService<WebhookEventDispatcher>();
        services.AddHostedService<TicketHistoryPoller>();
        services.AddHostedService<OutboundWebhookDeliverer>();
        // Scale-out: nodes on one PostgreSQL pass live events to each other (LISTEN/NOTIFY).
        if (dialect is PostgresDialect)
            services.AddHostedService(sp => ActivatorUtilities.CreateInstance<PostgresFeedRelay>(sp, connectionString));

        services.AddHubJobs(dialect, hubSection);

        // Enums travel as their lowercase names ("queued", "agent"), as everywhere else in the API.
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(
            new System.Text.Json.Serialization.JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.SnakeCaseLower)));
        services.AddProblemDetails();
        services.AddExceptionHandler<ProblemExceptionHandler>();
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddCors();
        services.Replace(ServiceDescriptor.Singleton<ICorsPolicyProvider, WebChatCorsPolicyProvider>());
        services.AddHubRateLimits(hubSection.GetSection("RateLimits").Get<RateLimitOptions>() ?? new());
        return builder;
    }

    /// <summary>The request pipeline and endpoints.</summary>
    public static WebApplication UseHub(this WebApplication app)
    {
        app.Services.GetRequiredService<ConnectorsConfigurationMonitor>().Changed += app.Services.GetRequiredService<IConnectorRegistry>().Reload;
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseMiddleware<RequestBodyLimitMiddleware>();
        app.UseDefaultFiles();
        app.UseStaticFiles();
        app.UseCors();
        app.UseRateLimiter();
        app.MapWebChatApi();
        app.MapAdminApi();
        app.MapJobsApi();
        app.MapSlaApi();
        app.MapBotApi();
        app.MapWebhooksApi();
        app.MapHelpdeskAdminApi();
        app.MapWebhookSubscriptionsApi();
        app.MapKnowledgePages();
        app.MapGet("/healthz", async (IConversationStore store, ConnectorsConfigurationMonitor connectors, CancellationToken cancellationToken) =>
        {
            await store.GetConversationAsync("healthz", cancellationToken); // proves the database answers
            return Results.Ok(new { status = "ok", connectors = connectors.Current.Connectors.Count });
        });
        return app;
    }

}
