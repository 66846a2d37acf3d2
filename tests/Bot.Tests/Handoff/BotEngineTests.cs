using IntegrationHub.Bot.Handoff;
using IntegrationHub.Bot.Tests.Fakes;
using IntegrationHub.Connectors.Abstractions;

namespace IntegrationHub.Bot.Tests.Handoff;

public class BotEngineTests
{
    [Fact]
    public async Task ReplyAsync_QuestionCoveredByKnowledge_AnswersWithCitation()
    {
        await using var bot = await BotHarness.CreateAsync();

        var reply = await bot.SayAsync("How long does a refund take to reach my card?");

        Assert.Equal(BotAction.Answer, reply.Action);
        Assert.Contains("5 working days", reply.Text);
        var citation = Assert.Single(reply.Citations);
        Assert.Equal("Returns and refunds › Refund timing", citation.Title);
        Assert.Equal("https://help.example.com/returns.html#refund-timing", citation.Url);
        Assert.Equal(0, reply.State.MissesInARow);
    }

    [Theory]
    [InlineData("agent")]
    [InlineData("I want to talk to a person")]
    [InlineData("can I speak to a real person please")]
    [InlineData("let me talk to someone")]
    [InlineData("human please")]
    [InlineData("get me a representitive")]
    [InlineData("connect me with customer service")]
    public async Task ReplyAsync_AskForHumanInAnyPhrasing_HandsOffWithReason(string message)
    {
        await using var bot = await BotHarness.CreateAsync();

        var reply = await bot.SayAsync(message);

        Assert.Equal(BotAction.Handoff, reply.Action);
        Assert.Equal(HandoffReasons.CustomerRequest, reply.HandoffReason);
        Assert.NotNull(reply.Handoff);
        Assert.Contains("passing you to a member of our team", reply.Text);
        Assert.Contains("won't need to repeat yourself", reply.Text);
    }

    [Theory]
    [InlineData("someone stole my parcel from the doorstep")]
    [InlineData("how do I return an item")]
    [InlineData("I don't want an agent, just tell me the delivery cost")]
    public void IsRequest_MessagesThatMentionPeopleButAskForNone_AreNotRequests(string message) =>
        Assert.False(HumanRequestDetector.IsRequest(message));

    [Fact]
    public async Task ReplyAsync_FrustratedCustomer_HandsOffWithHighPriority()
    {
        await using var bot = await BotHarness.CreateAsync();

        var reply = await bot.SayAsync("This is ridiculous, your site is USELESS and I have waited TWO WEEKS!!");

        Assert.Equal(BotAction.Handoff, reply.Action);
        Assert.Equal(HandoffReasons.Frustration, reply.HandoffReason);
        Assert.Equal(Sentiment.Frustrated, reply.Handoff!.Sentiment);
        Assert.Equal("high", reply.Handoff.Priority);
        Assert.Contains("sorry this has been frustrating", reply.Text);
    }

    [Fact]
    public async Task ReplyAsync_HumanOnlyIntent_HandsOffImmediately()
    {
        await using var bot = await BotHarness.CreateAsync();

        var reply = await bot.SayAsync("I was charged twice for order A12345");

        Assert.Equal(BotAction.Handoff, reply.Action);
        Assert.Equal(HandoffReasons.HumanOnlyIntent, reply.HandoffReason);
        Assert.Equal("billing_dispute", reply.Handoff!.Intent);
        Assert.Equal("A12345", reply.Handoff.CollectedFields["order_number"]);
    }

    [Fact]
    public async Task ReplyAsync_IntentListedInHumanOnlyIntents_HandsOff()
    {
        await using var bot = await BotHarness.CreateAsync(o => o.HumanOnlyIntents = ["reset_password"]);

        var reply = await bot.SayAsync("I forgot my password");

        Assert.Equal(HandoffReasons.HumanOnlyIntent, reply.HandoffReason);
    }

    [Fact]
    public async Task ReplyAsync_VipSegment_HandsOffWithHighPriority()
    {
        await using var bot = await BotHarness.CreateAsync(o => o.VipSegments = ["vip"]);
        bot.Segments = ["VIP"];

        var reply = await bot.SayAsync("How much is delivery?");

        Assert.Equal(HandoffReasons.VipSegment, reply.HandoffReason);
        Assert.Equal("high", reply.Handoff!.Priority);
    }

    [Fact]
    public async Task ReplyAsync_OutOfScopeTwice_ClarifiesThenHandsOffOnSecondMiss()
    {
        await using var bot = await BotHarness.CreateAsync();

        var first = await bot.SayAsync("what is the airspeed of a swallow");
        var second = await bot.SayAsync("the velocity of an unladen bird");

        Assert.Equal(BotAction.Clarify, first.Action);
        Assert.Equal(1, first.State.MissesInARow);
        Assert.Equal(BotAction.Handoff, second.Action);
        Assert.Equal(HandoffReasons.OutOfScope, second.HandoffReason);
        Assert.Contains("asked to clarify", second.Handoff!.BotAttempts);
    }

    [Fact]
    public async Task ReplyAsync_AmbiguousMessages_ClarifyThenOfferOptionsThenHandOff()
    {
        await using var bot = await BotHarness.CreateAsync(o => o.ConfidenceThreshold = 0.95);

        var first = await bot.SayAsync("I have a question about my order");
        var second = await bot.SayAsync("the thing I bought");
        var third = await bot.SayAsync("hmm the stuff");

        Assert.Equal(BotAction.Clarify, first.Action);
        Assert.Equal(BotAction.OfferOptions, second.Action);
        Assert.Contains(second.Options, o => o.Id == "order_status");
        Assert.InRange(second.Options.Count, 2, 4);
        Assert.Equal(BotOption.Human, second.Options[^1].Id);
        Assert.Equal(BotAction.Handoff, third.Action);
        Assert.Equal(HandoffReasons.RepeatedMiss, third.HandoffReason);
    }

    // Questions several articles half-answer (delivery or refund? which cost?): the bot must not pick one and guess.
    [Theory]
    [InlineData("how long does it take?")]
    [InlineData("how much is it?")]
    public async Task ReplyAsync_AmbiguousQuestion_ClarifiesOrOffersOptionsNeverGuesses(string question)
    {
        await using var bot = await BotHarness.CreateAsync();

        var reply = await bot.SayAsync(question);

        Assert.True(reply.Action is BotAction.Clarify or BotAction.OfferOptions, $"{reply.Action}: {reply.Text}\n{string.Join("\n", reply.Trace)}");
        Assert.Empty(reply.Citations);
    }

    [Fact]
    public async Task ReplyAsync_AmbiguousQuestionTwice_ClarifiesThenOffersTheSectionsItCouldMean()
    {
        await using var bot = await BotHarness.CreateAsync();

        var first = await bot.SayAsync("how long does it take?");
        var second = await bot.SayAsync("how long does it take?");

        Assert.Equal(BotAction.Clarify, first.Action);
        Assert.Contains("retrieval ambiguous: sections tie", first.Trace);
        Assert.Equal(BotAction.OfferOptions, second.Action);
        // Refunds or delivery: both offered, with a person as the way out.
        Assert.Contains(second.Options, o => o.Id == "refund_status");
        Assert.Contains(second.Options, o => o.Id == "shipping_cost");
        Assert.Contains(second.Options, o => o.Id == "human");
    }

    [Theory]
    [InlineData("how long does it take?", true)]
    [InlineData("is it free?", true)]
    [InlineData("how long does a refund take", false)]
    [InlineData("Do you ship to the United States?", false)]
    [InlineData("opening hours", false)]
    public async Task SearchAsync_QuestionThatFitsSeveralSections_IsAmbiguous(string question, bool ambiguous)
    {
        await using var bot = await BotHarness.CreateAsync();

        Assert.Equal(ambiguous, (await bot.Search.SearchAsync(BotHarness.Workspace, question)).Ambiguous);
    }

    [Fact]
    public async Task ReplyAsync_CustomerPicksOfferedOption_ActsOnThatIntent()
    {
        await using var bot = await BotHarness.CreateAsync(o => o.ConfidenceThreshold = 0.95);
        await bot.SayAsync("I have a question about my order");
        var options = await bot.SayAsync("the thing I bought");
        var index = options.Options.ToList().FindIndex(o => o.Id == "order_status") + 1;

        var reply = await bot.SayAsync(index.ToString());

        Assert.Equal(BotAction.Answer, reply.Action);
        Assert.Equal("order_status", reply.Intent);
        Assert.Equal(0, reply.State.FallbackStage);
    }

    [Fact]
    public async Task ReplyAsync_HybridIntentWithField_CollectsFieldThenAnswers()
    {
        await using var bot = await BotHarness.CreateAsync();

        var ask = await bot.SayAsync("my item arrived damaged");
        var answer = await bot.SayAsync("It's order B77812");

        Assert.Equal(BotAction.Intake, ask.Action);
        Assert.Equal("order_number", ask.State.PendingField);
        Assert.Equal("B77812", answer.State.CollectedFields["order_number"]);
        Assert.Equal(BotAction.Answer, answer.Action);
        Assert.Contains("Damaged or faulty items", answer.Citations[0].Title);
    }

    [Fact]
    public async Task ReplyAsync_AfterHours_TakesIntakeThenHandsOffWithHonestTime()
    {
        var saturday = new DateTimeOffset(2026, 3, 7, 20, 0, 0, TimeSpan.Zero);
        await using var bot = await BotHarness.CreateAsync(o => o.BusinessHours = new BusinessHoursOptions { TimeZone = "Europe/London" }, now: saturday);

        var first = await bot.SayAsync("I want to talk to a person");
        var second = await bot.SayAsync("My name is Ada Lovelace");
        var third = await bot.SayAsync("ada@example.com");
        var last = await bot.SayAsync("My parcel is missing");

        Assert.Equal(BotAction.Intake, first.Action);
        Assert.Contains("offline", first.Text);
        Assert.Contains("Monday 9 March at 09:00 (Europe/London)", first.Text);
        Assert.Equal(HandoffReasons.CustomerRequest, first.HandoffReason);
        Assert.Equal(BotAction.Intake, second.Action);
        Assert.Equal(BotAction.Intake, third.Action);
        Assert.Equal(BotAction.Handoff, last.Action);
        Assert.Contains("a person will reply here when we open, Monday 9 March at 09:00 (Europe/London)", last.Text);
        var packet = last.Handoff!;
        Assert.Equal("Ada Lovelace", packet.Contact.Name);
        Assert.Equal("ada@example.com", packet.Contact.Email);
        Assert.Equal("My parcel is missing", packet.CollectedFields["details"]);
    }

    [Fact]
    public async Task ReplyAsync_Handoff_PacketCarriesEverythingAnAgentNeeds()
    {
        await using var bot = await BotHarness.CreateAsync();
        bot.Contact = new ContactInfo("ct-1", "Grace", ["grace@example.com"], [], "verified");
        await bot.SayAsync("How long does a refund take?");
        await bot.SayAsync("My card is 4111 1111 1111 1111, refund it");

        var reply = await bot.SayAsync("I want to talk to an agent");

        var packet = reply.Handoff!;
        Assert.Equal("c1", packet.ConversationId);
        Assert.Equal("webchat", packet.Channel);
        Assert.Equal("verified", packet.Contact.IdentityStatus);
        Assert.Equal(5, packet.Transcript.Count);
        Assert.DoesNotContain(packet.Transcript, m => m.Body.Contains("4111 1111 1111 1111"));
        Assert.Contains(packet.Transcript, m => m.Body.Contains("**** **** **** 1111"));
        Assert.Equal(HandoffReasons.CustomerRequest, packet.Reason);
        Assert.Equal(Sentiment.Neutral, packet.Sentiment);
        Assert.Contains(packet.BotAttempts, a => a.StartsWith("answered from 'Returns and refunds", StringComparison.Ordinal));
        Assert.Contains(packet.CitedArticles, c => c.Title == "Returns and refunds › Refund timing");
        Assert.NotNull(packet.Summary);
        Assert.Contains("Customer (verified", packet.Summary);
        Assert.Contains("How long does a refund take?", packet.Summary);
        Assert.True(packet.Summary.Length <= 600);
    }

    [Fact]
    public async Task ReplyAsync_IntentsChange_RetrainsOnNextTurn()
    {
        await using var bot = await BotHarness.CreateAsync();
        await bot.Intents.UpsertAsync(BotHarness.Workspace, new IntegrationHub.Bot.Intents.IntentDefinition("gift_cards", "Gift cards",
            ["do you sell gift cards", "buy a gift voucher", "gift card balance"], Answer: "Yes, gift cards are sold in our shop from 10 to 200 pounds."));

        var reply = await bot.SayAsync("can I buy a gift card");

        Assert.Equal("gift_cards", reply.Intent);
        Assert.Equal("Yes, gift cards are sold in our shop from 10 to 200 pounds.", reply.Text);
    }

    [Fact]
    public async Task ReplyAsync_StateRoundTripsThroughJson_SameDecision()
    {
        await using var bot = await BotHarness.CreateAsync();
        await bot.SayAsync("what is the airspeed of a swallow");
        var json = System.Text.Json.JsonSerializer.Serialize(bot.State, new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web));
        bot.State = System.Text.Json.JsonSerializer.Deserialize<BotState>(json, new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web))!;

        var second = await bot.SayAsync("the velocity of an unladen bird");

        Assert.Equal(BotAction.Handoff, second.Action);
        Assert.Contains("\"missesInARow\":1", json);
    }

    [Fact]
    public async Task DraftAsync_CustomerQuestionCovered_DraftsWithSources()
    {
        await using var bot = await BotHarness.CreateAsync();

        var draft = await bot.Engine.DraftAsync(new Drafts.DraftRequest(BotHarness.Workspace, "c1",
            [new TranscriptMessage(1, "customer", "public", "How do I reset my password?", BotHarness.WorkingHours)],
            new ContactInfo("ct", "Grace Hopper", [], [], "identified")));

        Assert.True(draft.Grounded);
        Assert.StartsWith("Hi Grace,", draft.Text);
        Assert.Contains("Forgot password", draft.Text);
        Assert.Equal("Your account › Resetting your password", Assert.Single(draft.Citations).Title);
    }

    [Fact]
    public async Task DraftAsync_NothingMatches_HoldingReplyMarkedUngrounded()
    {
        await using var bot = await BotHarness.CreateAsync();

        var draft = await bot.Engine.DraftAsync(new Drafts.DraftRequest(BotHarness.Workspace, "c1",
            [new TranscriptMessage(1, "customer", "public", "Can your llamas juggle?", BotHarness.WorkingHours)]));

        Assert.False(draft.Grounded);
        Assert.Empty(draft.Citations);
        Assert.NotNull(draft.Note);
    }
    [Theory]
    [InlineData(null, "anonymous")]
    [InlineData("identified", "identified")]
    [InlineData("verified", "verified")]
    public async Task ReplyAsync_HandoffAfterCollectingAField_PacketHasIntentConfidenceFieldsIdentityAndRedactedSummary(string? identity, string expected)
    {
        await using var bot = await BotHarness.CreateAsync();
        if (identity is not null) bot.Contact = new ContactInfo("ct-1", "Grace", ["grace@example.com"], [], identity);
        await bot.SayAsync("my item arrived damaged");
        await bot.SayAsync("It's order B77812, paid with 4111 1111 1111 1111");

        var reply = await bot.SayAsync("this is ridiculous, let me talk to someone");

        var packet = reply.Handoff!;
        Assert.Equal(expected, packet.Contact.IdentityStatus);
        Assert.Equal("damaged_item", packet.Intent);
        Assert.InRange(packet.Confidence!.Value, 0.5, 1);
        Assert.Equal("B77812", packet.CollectedFields["order_number"]);
        Assert.Equal(Sentiment.Frustrated, packet.Sentiment);
        Assert.Contains(packet.CitedArticles, c => c.Title.Contains("Damaged or faulty items"));
        Assert.NotEmpty(packet.BotAttempts);
        Assert.Contains($"Customer ({expected}", packet.Summary);
        Assert.Contains("B77812", packet.Summary);
        Assert.DoesNotContain("4111", packet.Summary);
        Assert.DoesNotContain(packet.Transcript, m => m.Body.Contains("4111 1111"));
    }

    static TranscriptMessage Customer(long sequence, string body) => new(sequence, "customer", "public", body, BotHarness.WorkingHours);
    static TranscriptMessage Bot(long sequence, string body) => new(sequence, "bot", "public", body, BotHarness.WorkingHours);

    // Before any agent reply the draft reads every customer message; a plea for a human or a chaser
    // in them must not drown the question the customer actually asked.
    [Theory]
    [InlineData("How long does a refund take?", "I want to talk to a real person", "Returns and refunds › Refund timing")]
    [InlineData("How long does a refund take?", "That didn't help. Let me talk to someone!", "Returns and refunds › Refund timing")]
    [InlineData("How long does a refund take?", "hello?? is anyone there? this is ridiculous", "Returns and refunds › Refund timing")]
    [InlineData("Do you ship to the United States?", "I want to talk to a real person", "Shipping and delivery")]
    [InlineData("Do you ship to the United States?", "can I speak to a real person please, thanks", "Shipping and delivery")]
    [InlineData("How do I reset my password?", "agent", "Your account › Resetting your password")]
    public async Task DraftAsync_HandoffRequestAfterQuestion_DraftsFromTheQuestion(string question, string plea, string source)
    {
        await using var bot = await BotHarness.CreateAsync();

        var draft = await bot.Engine.DraftAsync(new Drafts.DraftRequest(BotHarness.Workspace, "c1",
        [
            Customer(1, question),
            Bot(2, "I'm not sure I understood."),
            Customer(3, plea),
            Bot(4, "Of course, I'm passing you to a member of our team."),
        ]));

        Assert.True(draft.Grounded, draft.Note);
        Assert.StartsWith(source, draft.Citations[0].Title);
    }

    // After hours the bot takes name, e-mail and details before handing off: the name is no question either.
    [Fact]
    public async Task DraftAsync_AfterHoursIntakeAnswers_DraftsFromTheQuestion()
    {
        var saturday = new DateTimeOffset(2026, 3, 7, 20, 0, 0, TimeSpan.Zero);
        await using var bot = await BotHarness.CreateAsync(o => o.BusinessHours = new BusinessHoursOptions { TimeZone = "Europe/London" }, now: saturday);
        await bot.SayAsync("How long does a refund take?");
        await bot.SayAsync("I want to talk to a person");
        await bot.SayAsync("Ada Lovelace");
        await bot.SayAsync("ada@example.com");
        var last = await bot.SayAsync("Still waiting for it");
        Assert.Equal(BotAction.Handoff, last.Action);

        var draft = await bot.Engine.DraftAsync(new Drafts.DraftRequest(BotHarness.Workspace, "c1", bot.Transcript));

        Assert.Equal("how long does a refund take", Drafts.DraftQuery.For(bot.Transcript));
        Assert.True(draft.Grounded, draft.Note);
        Assert.Equal("Returns and refunds › Refund timing", draft.Citations[0].Title);
    }

    [Fact]
    public async Task DraftAsync_QuestionInsideTheHandoffRequest_KeepsTheTopic()
    {
        await using var bot = await BotHarness.CreateAsync();

        var draft = await bot.Engine.DraftAsync(new Drafts.DraftRequest(BotHarness.Workspace, "c1",
            [Customer(1, "I want to talk to a person about resetting my password")]));

        Assert.True(draft.Grounded, draft.Note);
        Assert.Equal("Your account › Resetting your password", Assert.Single(draft.Citations).Title);
    }

    [Fact]
    public async Task DraftAsync_OnlyAPleaForAHuman_HoldingReplyNotAGuess()
    {
        await using var bot = await BotHarness.CreateAsync();

        var draft = await bot.Engine.DraftAsync(new Drafts.DraftRequest(BotHarness.Workspace, "c1",
            [Customer(1, "hello"), Customer(2, "I want to talk to a person!!")]));

        Assert.False(draft.Grounded);
        Assert.Empty(draft.Citations);
    }

    [Fact]
    public async Task DraftAsync_AfterAnAgentReply_DraftsFromTheNewQuestionOnly()
    {
        await using var bot = await BotHarness.CreateAsync();

        var draft = await bot.Engine.DraftAsync(new Drafts.DraftRequest(BotHarness.Workspace, "c1",
        [
            Customer(1, "How do I reset my password?"),
            new TranscriptMessage(2, "agent", "public", "Use the Forgot password link.", BotHarness.WorkingHours),
            Customer(3, "Thanks! And how long does a refund take to reach my card? agent please"),
        ]));

        Assert.True(draft.Grounded, draft.Note);
        Assert.Equal("Returns and refunds › Refund timing", Assert.Single(draft.Citations).Title);
    }

    [Theory]
    [InlineData("I want to talk to a person", "")]
    [InlineData("let me talk to someone about my refund", "refund")]
    [InlineData("someone stole my parcel", "someone stole my parcel")]
    [InlineData("hi! thanks, ok", "")]
    [InlineData("jane@example.test", "")]
    [InlineData("this is ridiculous!! where is my order", "where is my order")]
    public void DraftQuery_Of_KeepsOnlyTheTopicalSentences(string message, string expected) =>
        Assert.Equal(expected, Drafts.DraftQuery.Topical(message));
}
