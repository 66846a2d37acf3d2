namespace IntegrationHub.Hub.Csat;

/// <summary>How an answer to a survey was taken.</summary>
public enum CsatAnswerResult { Stored, NotAsked, AlreadyAnswered }
