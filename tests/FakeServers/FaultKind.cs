namespace IntegrationHub.FakeServers;

public enum FaultKind { Throttle, Status, Slow, TimeoutAfterCommit, Abort, Reject }
