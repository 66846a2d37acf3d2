using System.Diagnostics;
using IntegrationHub.Connectors.Abstractions;

namespace IntegrationHub.Connectors.Conformance.Suites;

/// <summary>The <see cref="ITicketSink"/> contract, run against each vendor's fake.</summary>
public abstract class TicketSinkConformance : ConformanceBase
{
    ITicketSink Sink => (ITicketSink)Connector;

    [Fact]
    public async Task CreateTicketAsync_NewConversation_CreatesOneTicketWithTranscriptAndFields()
    {
        var (contact, reference) = await CreateTicketAsync("conv-new");
        var ticket = Assert.Single(Harness.Fake.Tickets);
        Assert.Equal(reference.ExternalId, ticket.Id);
        Assert.Equal(Connector.Id, reference.ConnectorId);
        Assert.Equal("conv-new", ticket.ConversationId);
        Assert.Contains("Jane", ticket.Subject);
        foreach (var expected in new[] { "My invoice is wrong", "I can help with invoices.", "billing_dispute", "web", "https://hub.example.test/conversations/conv-new" })
            Assert.Contains(expected, ticket.Description);
        Assert.Equal("high", ticket.Priority);
        Assert.Equal("open", ticket.Status);
        Assert.Equal(Harness.MappedQueue, ticket.Queue);
        if (Connector is IContactDirectory) Assert.Equal(contact.ExternalId, ticket.RequesterId);
    }

    [Fact]
    public async Task CreateTicketAsync_Packet_IntentChannelAndLinkAlsoInStructuredFields()
    {
        await CreateTicketAsync("conv-fields");
        var ticket = Assert.Single(Harness.Fake.Tickets);
        // Every short string value of the create request(s) other than the readable body: fields, tags, categories.
        var values = Harness.Fake.Requests
            .Where(r => r.Method == Harness.CreateTicketMethod && r.Path.Contains(Harness.CreateTicketPath, StringComparison.OrdinalIgnoreCase) && r.Body.Length > 0)
            .SelectMany(r => Strings(System.Text.Json.Nodes.JsonNode.Parse(r.Body)))
            // Not the readable subject or body: those carry everything as text already.
            .Where(v => v != ticket.Description && v != ticket.Subject && v.Length < 300 && !v.Contains('\n'))
            .ToList();
        Assert.Contains(values, v => v.Contains("billing_dispute", StringComparison.Ordinal));
        Assert.Contains(values, v => v.Contains("https://hub.example.test/conversations/conv-fields", StringComparison.Ordinal));
        Assert.Contains(values, v => v.Contains(Harness.ChannelValue, StringComparison.OrdinalIgnoreCase));
    }

    static IEnumerable<string> Strings(System.Text.Json.Nodes.JsonNode? node) => node switch
    {
        System.Text.Json.Nodes.JsonObject o => o.SelectMany(p => Strings(p.Value)),
        System.Text.Json.Nodes.JsonArray a => a.SelectMany(Strings),
        System.Text.Json.Nodes.JsonValue v when v.TryGetValue<string>(out var text) => [text],
        _ => [],
    };

    [Fact]
    public async Task CreateTicketAsync_SameConversationTwice_ReturnsTheSameTicket()
    {
        var (_, first) = await CreateTicketAsync("conv-twice");
        var (_, second) = await CreateTicketAsync("conv-twice");
        Assert.Equal(first.ExternalId, second.ExternalId);
        Assert.Single(Harness.Fake.Tickets);
    }

    [Fact]
    public async Task CreateTicketAsync_ConcurrentCallsForOneConversation_CreateOneTicket()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => CreateTicketAsync("conv-race")));
        Assert.Single(results.Select(r => r.Ticket.ExternalId).Distinct());
        Assert.Single(Harness.Fake.Tickets);
    }

    [Fact]
    public async Task CreateTicketAsync_TimeoutAfterVendorCommitted_DoesNotDuplicate()
    {
        var packet = VendorHarness.Packet("conv-timeout");
        var contact = Connector is IContactDirectory directory ? await directory.FindOrCreateContactAsync(packet.Contact)
            : new ContactReference(Connector.Id, packet.Contact.Email!, packet.Contact.Email);
        Harness.Fake.Faults.TimeoutAfterCommit(1, Harness.CreateTicketMethod, Harness.CreateTicketPath);
        var reference = await JobRetry.RunAsync(() => Sink.CreateTicketAsync(packet, contact));
        var ticket = Assert.Single(Harness.Fake.Tickets);
        Assert.Equal(ticket.Id, reference.ExternalId);
    }

    [Fact]
    public async Task CreateTicketAsync_ThrottleStorm_DelaysButNeitherLosesNorDuplicates()
    {
        Harness.Fake.Faults.Throttle(6, TimeSpan.FromSeconds(1));
        var watch = Stopwatch.StartNew();
        var conversations = Enumerable.Range(1, 3).Select(i => $"conv-storm-{i}").ToList();
        var references = await Task.WhenAll(conversations.Select(c => JobRetry.RunAsync(async () => (await CreateTicketAsync(c)).Ticket)));
        Assert.True(watch.Elapsed >= TimeSpan.FromSeconds(0.9), $"took only {watch.Elapsed}");
        Assert.Equal(3, references.Select(r => r.ExternalId).Distinct().Count());
        Assert.Equal(conversations.Order(), Harness.Fake.Tickets.Select(t => t.ConversationId!).Order());
        Assert.True(Harness.Fake.ThrottledCount >= 6);
    }

    [Fact]
    public async Task AppendMessagesAsync_PublicAndInternal_KeepsOrderAndVisibility()
    {
        var (_, reference) = await CreateTicketAsync("conv-append");
        var at = DateTimeOffset.Parse("2026-01-05T10:01:00Z");
        await Sink.AppendMessagesAsync(reference,
        [
            new TranscriptMessage(5, "customer", "public", "third: still waiting", at.AddSeconds(20)),
            new TranscriptMessage(3, "customer", "public", "first: any news?", at),
            new TranscriptMessage(4, "system", "internal", "second: VIP customer", at.AddSeconds(10), "hub"),
        ]);
        var comments = Assert.Single(Harness.Fake.Tickets).Comments;
        Assert.Equal(3, comments.Count);
        Assert.Contains("first: any news?", comments[0].Body);
        Assert.Contains("second: VIP customer", comments[1].Body);
        Assert.Contains("third: still waiting", comments[2].Body);
        Assert.False(comments[1].Public);
        Assert.Equal(Harness.PublicCommentsSupported, comments[0].Public);
        Assert.Equal(Harness.PublicCommentsSupported, comments[2].Public);
    }

    [Fact]
    public async Task UpdateTicketAsync_StatusAndPriority_AreApplied()
    {
        var (_, reference) = await CreateTicketAsync("conv-update");
        await Sink.UpdateTicketAsync(reference, new TicketUpdate("pending", "urgent"));
        var ticket = Assert.Single(Harness.Fake.Tickets);
        Assert.Equal("pending", ticket.Status);
        Assert.Equal("urgent", ticket.Priority);
        await Sink.UpdateTicketAsync(reference, new TicketUpdate(Status: "solved"));
        Assert.Equal("solved", Assert.Single(Harness.Fake.Tickets).Status);
        Assert.Equal("urgent", Assert.Single(Harness.Fake.Tickets).Priority);
    }

    [Fact]
    public async Task AttachTranscriptAsync_Transcript_IsStoredAsFileWhereSupported()
    {
        var (_, reference) = await CreateTicketAsync("conv-file");
        var file = TranscriptFile.FromMessages("conv-file", VendorHarness.Packet("conv-file").Transcript);
        var attached = await Sink.AttachTranscriptAsync(reference, file);
        var ticket = Assert.Single(Harness.Fake.Tickets);
        Assert.Equal(Harness.AttachmentsSupported, attached);
        if (attached) Assert.Contains(file.FileName, ticket.AttachmentNames);
        else Assert.Contains(ticket.Comments, c => c.Body.Contains("My invoice is wrong"));
    }

    [Fact]
    public async Task AppendMessagesAsync_UnknownTicket_ThrowsNotFoundNamingConnector()
    {
        await CreateTicketAsync("conv-exists");
        var missing = new TicketReference(Connector.Id, UnknownTicketId);
        var error = await Assert.ThrowsAsync<ConnectorException>(() => Sink.AppendMessagesAsync(missing,
            [new TranscriptMessage(3, "customer", "public", "hello?", DateTimeOffset.UtcNow)]));
        Assert.Equal(ConnectorErrorKind.NotFound, error.Kind);
        Assert.Contains(Connector.Id, error.Message);
    }

    [Fact]
    public async Task CreateTicketAsync_VendorRefusesData_ValidationFailedWithVendorMessage()
    {
        var packet = VendorHarness.Packet("conv-invalid");
        var contact = Connector is IContactDirectory directory ? await directory.FindOrCreateContactAsync(packet.Contact)
            : new ContactReference(Connector.Id, packet.Contact.Email!, packet.Contact.Email);
        Harness.Fake.Faults.Reject("Requester is not allowed in this group", 1, Harness.CreateTicketMethod, Harness.CreateTicketPath);
        var error = await Assert.ThrowsAsync<ConnectorException>(() => Sink.CreateTicketAsync(packet, contact));
        Assert.Equal(ConnectorErrorKind.ValidationFailed, error.Kind);
        Assert.Contains($"connector '{Connector.Id}': validation failed", error.Message);
        Assert.Contains("Requester is not allowed in this group", error.Message);
        Assert.False(error.IsTransient);
    }

    [Fact]
    public async Task CreateTicketAsync_ThrottledLongerThanRetryBudget_RateLimitedNamingConnector()
    {
        var packet = VendorHarness.Packet("conv-limited");
        var contact = Connector is IContactDirectory directory ? await directory.FindOrCreateContactAsync(packet.Contact)
            : new ContactReference(Connector.Id, packet.Contact.Email!, packet.Contact.Email);
        // Longer than the pipeline waits in-line (60 s): the call gives up at once and the caller's job retries later.
        Harness.ThrottleCreateForLong();
        var watch = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<ConnectorException>(() => Sink.CreateTicketAsync(packet, contact));
        Assert.Equal(ConnectorErrorKind.RateLimited, error.Kind);
        Assert.Contains($"connector '{Connector.Id}': rate limited", error.Message);
        Assert.True(error.IsTransient);
        // The caller's retry waits as long as the vendor said, in whichever header or body it says it.
        Assert.True(error.RetryAfter >= TimeSpan.FromMinutes(4), $"RetryAfter {error.RetryAfter}");
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), $"waited {watch.Elapsed} in-line");
        Harness.Fake.RateLimit = null;
        Assert.Empty(Harness.Fake.Tickets);
    }

    [Fact]
    public async Task Calls_SuccessAndFailure_NoSecretInLogsOrErrors()
    {
        var (_, reference) = await CreateTicketAsync("conv-logs");
        await Sink.AppendMessagesAsync(reference, [new TranscriptMessage(3, "customer", "public", "hello", DateTimeOffset.UtcNow)]);
        Harness.Fake.Faults.Status(500, 2);
        try { await Sink.UpdateTicketAsync(reference, new TicketUpdate("pending")); } catch (ConnectorException) { }
        var broken = Harness.CreateConnector((settings, secret) => { Harness.BreakCredentials(settings, secret); return settings; }, "broken-logs");
        var failure = await broken.CheckAsync();
        Assert.False(failure.Ok);
        Assert.NotEmpty(Harness.Logs.Lines);
        foreach (var secret in Harness.SecretValues)
        {
            Assert.DoesNotContain(Harness.Logs.Lines, line => line.Contains(secret, StringComparison.Ordinal));
            Assert.DoesNotContain(secret, failure.Message);
        }
    }

    protected virtual string UnknownTicketId => "999999";

    [Fact]
    public async Task CreateTicketAsync_WrongCredentials_AuthenticationFailedWithoutSecret()
    {
        string wrong = "";
        var connector = Harness.CreateConnector((settings, secret) => { wrong = Harness.BreakCredentials(settings, secret); return settings; }, "broken");
        var packet = VendorHarness.Packet("conv-auth");
        var error = await Assert.ThrowsAsync<ConnectorException>(() => ((ITicketSink)connector).CreateTicketAsync(packet,
            new ContactReference("broken", "1", packet.Contact.Email)));
        Assert.Equal(ConnectorErrorKind.AuthenticationFailed, error.Kind);
        Assert.Contains("'broken'", error.Message);
        Assert.DoesNotContain(wrong, error.ToString());
    }
}
