namespace IntegrationHub.FakeServers;

/// <summary>Which helpdesk activity a fake's webhook reports.</summary>
public enum FakeWebhookKind { AgentPublicReply, InternalNote, StatusSolved }
