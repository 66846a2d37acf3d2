using System.Text.RegularExpressions;
using IntegrationHub.Bot.AI;
using IntegrationHub.Bot.Drafts;
using IntegrationHub.Bot.Handoff;
using IntegrationHub.Bot.Intents;
using IntegrationHub.Bot.Knowledge;
using IntegrationHub.Bot.Middleware;
using IntegrationHub.Bot.Redaction;
using IntegrationHub.Bot.Storage;
using IntegrationHub.Bot.Text;
using IntegrationHub.Connectors.Abstractions;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Bot;

/// <summary>
/// The policy of one turn, in order: after-hours intake in progress → explicit triggers (asked for a
/// human, frustration, VIP) → pending intent fields → a chosen option → intent (human-only intents hand
/// off; fields are collected; intent answer) → grounded knowledge answer → fallback ladder
/// (clarify, then options, then hand off; a second miss with nothing to offer hands off).
/// </summary>
internal sealed partial class BotEngine : IBotEngine
{
    const int MaxAttempts = 20, MaxCitations = 10, OptionCount = 3;
    const double OptionMinProbability = 0.08, OptionMinRetrieval = 0.3;

    readonly IIntentStore _intents;
    readonly IKnowledgeSearch _knowledge;
    readonly IRedactor _redactor;
    readonly IOptions<BotOptions> _options;
    readonly TimeProvider _time;
    readonly ILogger _logger;
    readonly ModelAssistant? _model;
    readonly RevisionCache<IntentModel> _models = new();

    public BotEngine(IIntentStore intents, IKnowledgeSearch knowledge, IRedactor redactor, IOptions<BotOptions> options, TimeProvider time,
        ILogger<BotEngine>? logger = null, IChatClient? chat = null)
    {
        _intents = intents;
        _knowledge = knowledge;
        _redactor = redactor;
        _options = options;
        _time = time;
        _logger = logger ?? NullLogger<BotEngine>.Instance;
        if (chat is not null)
            _model = new ModelAssistant(chat.UseTimeout(TimeSpan.FromSeconds(options.Value.ModelTimeoutSeconds), time).UseRedaction(redactor), _logger);
    }

    BotOptions Settings => _options.Value;

    sealed record Turn(BotRequest Request, IReadOnlyList<TranscriptMessage> Transcript, IReadOnlyList<string> CustomerMessages, string Message,
        Sentiment Sentiment, IntentModel Model, List<string> Trace, DateTimeOffset Now);

    public async Task<BotReply> ReplyAsync(BotRequest request, CancellationToken cancellationToken = default)
    {
        var transcript = request.Transcript.OrderBy(m => m.Sequence).Select(m => m with { Body = _redactor.Redact(m.Body) }).ToList();
        var customer = transcript.Where(m => m.Author == "customer" && m.Visibility != "internal" && m.Body.Trim().Length > 0).Select(m => m.Body).ToList();
        var state = request.State;
        if (customer.Count == 0)
            return new BotReply { Text = CustomerMessages.Greeting, Action = BotAction.Clarify, State = state, Trace = ["no customer message yet"] };

        var message = customer[^1];
        var sentiment = SentimentAnalyzer.Analyze(message, customer.Count > 1 ? customer[^2] : null);
        var model = await _models.GetAsync(request.WorkspaceId,
            ct => _intents.GetRevisionAsync(request.WorkspaceId, ct),
            async ct => IntentModel.Train(await _intents.ListAsync(request.WorkspaceId, ct), Settings.OutOfScopeThreshold),
            cancellationToken);
        var turn = new Turn(request, transcript, customer, message, sentiment, model, [$"sentiment {sentiment.Label} ({sentiment.Score:0.00})"], _time.GetUtcNow());

        // 1. After-hours intake already under way: finish it, the handoff is decided.
        if (state.PendingHandoffReason is { } pendingReason && state.PendingField is { } intakeField)
            return ContinueIntake(turn, state, pendingReason, intakeField);

        // 2. Triggers that override everything else.
        var chosen = MatchOption(message, state.LastOfferedOptions);
        if (chosen?.Id == BotOption.Human || HumanRequestDetector.IsRequest(message))
            return Handoff(turn, state, HandoffReasons.CustomerRequest, state.LastIntent, state.LastConfidence);
        if (IsFrustrated(sentiment))
            return Handoff(turn, state, HandoffReasons.Frustration, state.LastIntent, state.LastConfidence);
        if (request.Segments.Any(s => Settings.VipSegments.Contains(s, StringComparer.OrdinalIgnoreCase)))
            return Handoff(turn, state, HandoffReasons.VipSegment, state.LastIntent, state.LastConfidence);

        // 3. The customer is answering a field question.
        if (state.PendingIntent is { } pendingIntent && state.PendingField is { } field && model.Find(pendingIntent) is { } pendingDefinition)
        {
            var definition = pendingDefinition.FieldsOrEmpty.FirstOrDefault(f => f.Name == field);
            var value = definition is null ? null : FieldExtractor.Extract(field, definition.Pattern, message);
            if (value is not null)
            {
                turn.Trace.Add($"collected {field}");
                var collected = state with { CollectedFields = With(state.CollectedFields, field, value), PendingField = null };
                return await ActOnIntentAsync(turn, collected, pendingDefinition, state.PendingConfidence ?? 1, cancellationToken);
            }
            turn.Trace.Add($"no {field} in reply; treating it as a new message");
            state = state with { PendingIntent = null, PendingField = null, PendingConfidence = null };
        }

        // 4. The customer picked an offered option.
        if (chosen is not null)
        {
            turn.Trace.Add($"chose option {chosen.Id}");
            state = state with { LastOfferedOptions = [] };
            if (chosen.Id.StartsWith("kb:", StringComparison.Ordinal))
            {
                var passages = await _knowledge.SearchAsync(request.WorkspaceId, chosen.Label, 10, cancellationToken);
                var picked = passages.Passages.FirstOrDefault(p => p.Chunk.Id == chosen.Id[3..]) ?? passages.Passages.FirstOrDefault();
                if (picked is not null)
                    return Answered(turn, state, GroundedAnswerComposer.Compose(chosen.Label, new RetrievalResult([picked with { Confidence = 1 }]), 0)!, null, 1);
            }
            else if (model.Find(chosen.Id) is { } picked)
            {
                return await ActOnIntentAsync(turn, state, picked, 1.0, cancellationToken);
            }
        }

        // 5. Understand the message: intent, then knowledge.
        var prediction = await PredictAsync(turn, message, cancellationToken);
        if (!prediction.OutOfScope && prediction.Confidence >= Settings.ConfidenceThreshold && model.Find(prediction.Intent) is { } intent)
        {
            state = state with { LastIntent = intent.Name, LastConfidence = prediction.Confidence };
            return await ActOnIntentAsync(turn, state with { PendingConfidence = prediction.Confidence }, intent, prediction.Confidence, cancellationToken);
        }

        var retrieval = await _knowledge.SearchAsync(request.WorkspaceId, message, 5, cancellationToken);
        turn.Trace.Add(retrieval.Passages.Count == 0 ? "retrieval: nothing" : $"retrieval {retrieval.Confidence:0.00}: {retrieval.Passages[0].Chunk.Id}");
        // No intent to say which section is meant and the passages tie: ask (clarify, then options), never pick one.
        if (retrieval.Ambiguous) turn.Trace.Add("retrieval ambiguous: sections tie");
        var answer = retrieval.Ambiguous ? null : await AnswerAsync(turn, message, retrieval, cancellationToken);
        if (answer is not null) return Answered(turn, state, answer, prediction.Intent, prediction.Confidence);

        return await MissAsync(turn, state, prediction, retrieval, cancellationToken);
    }

    async Task<IntentPrediction> PredictAsync(Turn turn, string message, CancellationToken cancellationToken)
    {
        var prediction = turn.Model.Classifier?.Classify(message, OptionCount, Settings.OutOfScopeThreshold) ?? IntentPrediction.None;
        turn.Trace.Add(prediction.Ranking.Count == 0 ? "intent: none" : $"intent {prediction.Ranking[0].Intent} {prediction.Confidence:0.00}{(prediction.OutOfScope ? " (out of scope)" : "")}");
        if (_model is null || !Settings.UseModelForIntents || turn.Model.Definitions.Count == 0 || prediction.Confidence >= Settings.ConfidenceThreshold)
            return prediction;
        // The built-in classifier is unsure: a model over the definitions may know better.
        var modelPrediction = await _model.DetectIntentAsync(message, turn.Model.Definitions.Values.ToList(), cancellationToken);
        if (modelPrediction is null) return prediction;
        turn.Trace.Add($"model intent {modelPrediction.Intent ?? "none"} {modelPrediction.Confidence:0.00}");
        // Keep the built-in ranking for options; take the model's verdict when it names an intent.
        return modelPrediction.Intent is null ? prediction with { OutOfScope = prediction.OutOfScope || modelPrediction.Confidence >= Settings.ConfidenceThreshold }
            : modelPrediction with { Ranking = [.. modelPrediction.Ranking, .. prediction.Ranking.Where(r => r.Intent != modelPrediction.Intent)] };
    }

    async Task<BotReply> ActOnIntentAsync(Turn turn, BotState state, IntentDefinition intent, double confidence, CancellationToken cancellationToken)
    {
        state = state with { LastIntent = intent.Name, LastConfidence = confidence };
        // Take any field already present in this message ("where is order A12345?").
        foreach (var f in intent.FieldsOrEmpty.Where(f => f.Pattern is not null || f.Name is "email" or "phone" or "order_number"))
            if (!state.CollectedFields.ContainsKey(f.Name) && FieldExtractor.Extract(f.Name, f.Pattern, turn.Message) is { } found)
                state = state with { CollectedFields = With(state.CollectedFields, f.Name, found) };

        if (intent.Routing == IntentRouting.Human || Settings.HumanOnlyIntents.Contains(intent.Name, StringComparer.Ordinal))
            return Handoff(turn, state, HandoffReasons.HumanOnlyIntent, intent.Name, confidence);

        if (intent.FieldsOrEmpty.FirstOrDefault(f => !state.CollectedFields.ContainsKey(f.Name)) is { } missing)
        {
            turn.Trace.Add($"asking for {missing.Name}");
            return new BotReply
            {
                Text = missing.Prompt,
                Action = BotAction.Intake,
                Intent = intent.Name,
                Confidence = confidence,
                Sentiment = turn.Sentiment.Label,
                State = state with { PendingIntent = intent.Name, PendingField = missing.Name, PendingConfidence = confidence, LastOfferedOptions = [], Attempts = Add(state.Attempts, $"asked for {missing.Name}") },
                Trace = turn.Trace,
            };
        }
        state = state with { PendingIntent = null, PendingField = null, PendingConfidence = null };

        if (intent.Answer is { Length: > 0 } fixedAnswer)
            return Answered(turn, state, new GroundedAnswer(FillFields(fixedAnswer, state.CollectedFields), [], "builtin"), intent.Name, confidence, $"answered with intent {intent.Name}");

        // The customer's own words first. The current message may only be a field value or an option
        // number, so then the previous message, then the intent's name with them: first confident one wins.
        var candidates = new List<string> { turn.Message };
        if (turn.CustomerMessages.Count > 1) candidates.Add($"{turn.CustomerMessages[^2]} {turn.Message}");
        candidates.Add($"{intent.DisplayName} {turn.Message}");
        candidates.Add(intent.DisplayName);
        var (question, retrieval) = (candidates[0], RetrievalResult.Empty);
        foreach (var candidate in candidates)
        {
            (question, retrieval) = (candidate, await _knowledge.SearchAsync(turn.Request.WorkspaceId, candidate, 5, cancellationToken));
            if (retrieval.Confidence >= Settings.AnswerThreshold) break;
        }
        var answer = await AnswerAsync(turn, question, retrieval, cancellationToken);
        if (answer is not null) return Answered(turn, state, answer, intent.Name, confidence);
        if (intent.Routing == IntentRouting.Hybrid) return Handoff(turn, state, HandoffReasons.Unresolved, intent.Name, confidence);
        return await MissAsync(turn, state, new IntentPrediction(intent.Name, confidence, false, [new IntentScore(intent.Name, confidence)]), retrieval, cancellationToken);
    }

    async Task<GroundedAnswer?> AnswerAsync(Turn turn, string question, RetrievalResult retrieval, CancellationToken cancellationToken)
    {
        // The model may judge borderline passages; it refuses when they do not support an answer.
        if (_model is not null && retrieval.Passages.Count > 0 && retrieval.Confidence >= Settings.AnswerThreshold / 2)
        {
            var (outcome, answer) = await _model.AnswerAsync(question, retrieval.Passages, cancellationToken);
            turn.Trace.Add($"model answer: {outcome.ToString().ToLowerInvariant()}");
            if (outcome == ModelOutcome.Answered) return answer;
            if (outcome == ModelOutcome.Refused) return null;
        }
        return GroundedAnswerComposer.Compose(question, retrieval, Settings.AnswerThreshold);
    }

    BotReply Answered(Turn turn, BotState state, GroundedAnswer answer, string? intent, double confidence, string? attempt = null)
    {
        attempt ??= answer.Citations.Count > 0 ? $"answered from '{answer.Citations[0].Title}'" : "answered";
        return new BotReply
        {
            Text = answer.Text,
            Action = BotAction.Answer,
            Citations = answer.Citations,
            Intent = intent,
            Confidence = confidence,
            Sentiment = turn.Sentiment.Label,
            Engine = answer.Engine,
            State = state with
            {
                MissesInARow = 0,
                FallbackStage = 0,
                LastOfferedOptions = [],
                PendingIntent = null,
                PendingField = null,
                Attempts = Add(state.Attempts, attempt),
                Citations = state.Citations.Concat(answer.Citations).DistinctBy(c => (c.Title, c.Url)).TakeLast(MaxCitations).ToList(),
            },
            Trace = turn.Trace,
        };
    }

    async Task<BotReply> MissAsync(Turn turn, BotState state, IntentPrediction prediction, RetrievalResult retrieval, CancellationToken cancellationToken)
    {
        var misses = state.MissesInARow + 1;
        var outOfScope = prediction.OutOfScope && retrieval.Confidence < Settings.AnswerThreshold / 2;
        turn.Trace.Add($"miss {misses} in a row{(outOfScope ? " (out of scope)" : "")}, fallback stage {state.FallbackStage}");
        state = state with { MissesInARow = misses };

        if (state.FallbackStage == 0)
            return Fallback(turn, state with { FallbackStage = 1 }, BotAction.Clarify, CustomerMessages.Clarify, [], prediction, "asked to clarify");

        if (state.FallbackStage == 1)
        {
            // The clarified message and the one before it are about the same thing: rank options on both.
            var options = await LikelyOptionsAsync(turn, cancellationToken);
            if (options.Count > 0 && !(outOfScope && Settings.HandoffOnSecondMiss))
                return Fallback(turn, state with { FallbackStage = 2 }, BotAction.OfferOptions, CustomerMessages.OfferOptions,
                    [.. options, new BotOption(BotOption.Human, CustomerMessages.TalkToPerson)], prediction, $"offered {string.Join(", ", options.Select(o => o.Id))}");
            if (!Settings.HandoffOnSecondMiss)
                return Fallback(turn, state with { FallbackStage = 2 }, BotAction.Clarify, CustomerMessages.Clarify, [], prediction, "asked to clarify again");
            return Handoff(turn, state, outOfScope ? HandoffReasons.OutOfScope : HandoffReasons.RepeatedMiss, prediction.Intent ?? state.LastIntent, prediction.Confidence);
        }
        return Handoff(turn, state, HandoffReasons.RepeatedMiss, prediction.Intent ?? state.LastIntent, prediction.Confidence);
    }

    BotReply Fallback(Turn turn, BotState state, BotAction action, string text, IReadOnlyList<BotOption> options, IntentPrediction prediction, string attempt) => new()
    {
        Text = options.Count == 0 ? text : $"{text}\n{string.Join('\n', options.Select((o, i) => $"{i + 1}. {o.Label}"))}",
        Action = action,
        Options = options,
        Intent = prediction.Intent,
        Confidence = prediction.Confidence,
        Sentiment = turn.Sentiment.Label,
        State = state with { LastOfferedOptions = options, Attempts = Add(state.Attempts, attempt) },
        Trace = turn.Trace,
    };

    async Task<List<BotOption>> LikelyOptionsAsync(Turn turn, CancellationToken cancellationToken)
    {
        var recent = string.Join(' ', turn.CustomerMessages.TakeLast(2));
        var options = new List<BotOption>();
        if (turn.Model.Classifier is { } classifier)
        {
            var ranking = classifier.Classify(recent, OptionCount, 0).Ranking;
            foreach (var score in ranking.Where(r => r.Probability >= OptionMinProbability))
                if (turn.Model.Find(score.Intent) is { } d) options.Add(new BotOption(d.Name, d.DisplayName));
        }
        if (options.Count < OptionCount)
        {
            var retrieval = await _knowledge.SearchAsync(turn.Request.WorkspaceId, recent, 10, cancellationToken);
            foreach (var p in retrieval.Passages.Where(p => p.Confidence >= OptionMinRetrieval).DistinctBy(p => (p.Chunk.SourceId, p.Chunk.DocumentId)))
            {
                if (options.Count >= OptionCount) break;
                options.Add(new BotOption($"kb:{p.Chunk.Id}", p.Chunk.CitationTitle));
            }
        }
        return options;
    }

    BotReply Handoff(Turn turn, BotState state, string reason, string? intent, double? confidence)
    {
        turn.Trace.Add($"handoff: {reason}");
        if (Settings.BusinessHours is { } hoursOptions)
        {
            var hours = new BusinessHours(hoursOptions);
            if (!hours.IsOpen(turn.Now))
            {
                var when = hours.NextOpening(turn.Now) is { } opening ? hours.Describe(opening, turn.Now) : "as soon as someone is available";
                if (MissingIntakeField(turn.Request, state, hoursOptions) is { } field)
                {
                    turn.Trace.Add($"after hours: intake {field}");
                    return new BotReply
                    {
                        Text = CustomerMessages.IntakeIntro(when) + CustomerMessages.IntakePrompt(field),
                        Action = BotAction.Intake,
                        Intent = intent,
                        Confidence = confidence ?? 0,
                        Sentiment = turn.Sentiment.Label,
                        HandoffReason = reason,
                        State = state with { PendingHandoffReason = reason, PendingField = field, PendingIntent = null, LastOfferedOptions = [], LastIntent = intent, LastConfidence = confidence },
                        Trace = turn.Trace,
                    };
                }
                return CompleteHandoff(turn, state, reason, intent, confidence, when);
            }
        }
        return CompleteHandoff(turn, state, reason, intent, confidence, null);
    }

    BotReply ContinueIntake(Turn turn, BotState state, string reason, string field)
    {
        var hours = Settings.BusinessHours is { } o ? new BusinessHours(o) : null;
        var when = hours?.NextOpening(turn.Now) is { } opening ? hours.Describe(opening, turn.Now) : "as soon as someone is available";
        var skipped = SkipReply().IsMatch(TextNormalizer.Normalize(turn.Message));
        var value = skipped ? "(not given)" : FieldExtractor.Extract(field, null, turn.Message);
        if (value is null)
        {
            turn.Trace.Add($"intake: {field} not recognised");
            return new BotReply
            {
                Text = $"Sorry, I couldn't read that. {CustomerMessages.Capitalize(CustomerMessages.IntakePrompt(field))} (or say \"skip\")",
                Action = BotAction.Intake,
                Sentiment = turn.Sentiment.Label,
                HandoffReason = reason,
                Intent = state.LastIntent,
                Confidence = state.LastConfidence ?? 0,
                State = state,
                Trace = turn.Trace,
            };
        }
        state = state with { CollectedFields = With(state.CollectedFields, field, value), PendingField = null };
        if (Settings.BusinessHours is { } options && MissingIntakeField(turn.Request, state, options) is { } next)
            return new BotReply
            {
                Text = $"Thanks. {CustomerMessages.Capitalize(CustomerMessages.IntakePrompt(next))}",
                Action = BotAction.Intake,
                Sentiment = turn.Sentiment.Label,
                HandoffReason = reason,
                Intent = state.LastIntent,
                Confidence = state.LastConfidence ?? 0,
                State = state with { PendingField = next },
                Trace = turn.Trace,
            };
        // Opening hours may have started while the customer typed; then nobody needs to wait.
        var stillClosed = hours is not null && !hours.IsOpen(turn.Now);
        return CompleteHandoff(turn, state, reason, state.LastIntent, state.LastConfidence, stillClosed ? when : null);
    }

    BotReply CompleteHandoff(Turn turn, BotState state, string reason, string? intent, double? confidence, string? afterHoursWhen)
    {
        state = state with
        {
            PendingHandoffReason = null,
            PendingField = null,
            PendingIntent = null,
            LastOfferedOptions = [],
            Attempts = Add(state.Attempts, $"handed off ({reason})"),
        };
        var vip = turn.Request.Segments.Any(s => Settings.VipSegments.Contains(s, StringComparer.OrdinalIgnoreCase));
        var packet = HandoffPacketBuilder.Build(turn.Request, state, reason, intent, confidence, turn.Sentiment, turn.Transcript, vip);
        _logger.LogInformation("Conversation {ConversationId} handed off: {Reason}", turn.Request.ConversationId, reason);
        return new BotReply
        {
            Text = $"{CustomerMessages.Why(reason)} {CustomerMessages.Next(state.CollectedFields.Count > 0, afterHoursWhen)}",
            Action = BotAction.Handoff,
            Intent = intent,
            Confidence = confidence ?? 0,
            Sentiment = turn.Sentiment.Label,
            HandoffReason = reason,
            Handoff = packet,
            Citations = [],
            State = state with { MissesInARow = 0, FallbackStage = 0 },
            Trace = turn.Trace,
        };
    }

    public async Task<AgentDraft> DraftAsync(DraftRequest request, CancellationToken cancellationToken = default)
    {
        var transcript = request.Transcript.OrderBy(m => m.Sequence).Select(m => m with { Body = _redactor.Redact(m.Body) }).ToList();
        // What the customer asked, without pleas for a human, chasers or contact details.
        var question = DraftQuery.For(transcript);
        var retrieval = question.Length == 0 ? RetrievalResult.Empty : await _knowledge.SearchAsync(request.WorkspaceId, question, 3, cancellationToken);
        var greeting = request.Contact?.Name is { Length: > 0 } name ? $"Hi {name.Split(' ')[0]}," : "Hi,";

        if (_model is not null)
        {
            var usable = retrieval.Passages.Where(p => p.Confidence >= Settings.AnswerThreshold / 2).ToList();
            var (outcome, draft) = await _model.DraftAsync(transcript, usable, request.Instructions, cancellationToken);
            if (outcome == ModelOutcome.Answered) return new AgentDraft(draft!.Text, draft.Citations, true, "model");
            if (outcome == ModelOutcome.Refused && draft!.Text.Length > 0)
                return new AgentDraft(draft.Text, [], false, "model", "No knowledge passage covers this request; the draft makes no factual claims.");
        }

        if (GroundedAnswerComposer.Compose(question, retrieval, Settings.AnswerThreshold) is { } answer)
        {
            var citation = answer.Citations[0];
            var body = GroundedAnswerComposer.Extract(question, retrieval.Passages[0].Chunk.Text);
            var link = citation.Url is null ? citation.Title : $"{citation.Title}: {citation.Url}";
            return new AgentDraft($"{greeting}\n\n{body}\n\nMore detail: {link}\n\nIs there anything else I can help with?", answer.Citations, true, "builtin");
        }
        return new AgentDraft($"{greeting}\n\nThanks for your message. I'm looking into this and will get back to you shortly.", [], false, "builtin",
            "No knowledge passage matched the customer's latest messages confidently; this is a holding reply.");
    }

    static string? MissingIntakeField(BotRequest request, BotState state, BusinessHoursOptions options)
    {
        foreach (var field in options.IntakeFields)
        {
            if (state.CollectedFields.ContainsKey(field)) continue;
            var known = field switch
            {
                "name" => request.Contact?.Name is { Length: > 0 },
                "email" => request.Contact?.Email is not null,
                "phone" => request.Contact?.Phone is not null,
                _ => false,
            };
            if (!known) return field;
        }
        return null;
    }

    bool IsFrustrated(Sentiment sentiment) => Settings.SentimentHandoff switch
    {
        "off" => false,
        "negative" => sentiment.Label is Sentiment.Negative or Sentiment.Frustrated,
        _ => sentiment.Label == Sentiment.Frustrated,
    };

    static BotOption? MatchOption(string message, IReadOnlyList<BotOption> options)
    {
        if (options.Count == 0) return null;
        var text = TextNormalizer.Normalize(message);
        if (int.TryParse(text, out var number) && number >= 1 && number <= options.Count) return options[number - 1];
        var exact = options.FirstOrDefault(o => TextNormalizer.Normalize(o.Label) == text);
        if (exact is not null || text.Length < 4) return exact;
        var containing = options.Where(o => TextNormalizer.Normalize(o.Label).Contains(text, StringComparison.Ordinal)).ToList();
        return containing.Count == 1 ? containing[0] : null;
    }

    [GeneratedRegex(@"^(skip|no|none|pass|n a|na|rather not|prefer not to say)$")]
    private static partial Regex SkipReply();

    [GeneratedRegex(@"\{([a-z0-9_]+)\}", RegexOptions.IgnoreCase)]
    private static partial Regex Placeholder();

    static string FillFields(string template, IReadOnlyDictionary<string, string> fields) =>
        Placeholder().Replace(template, m => fields.TryGetValue(m.Groups[1].Value, out var v) ? v : m.Value);

    static IReadOnlyDictionary<string, string> With(IReadOnlyDictionary<string, string> fields, string key, string value)
    {
        var copy = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in fields) copy[k] = v;
        copy[key] = value;
        return copy;
    }

    static IReadOnlyList<string> Add(IReadOnlyList<string> attempts, string attempt) => attempts.Append(attempt).TakeLast(MaxAttempts).ToList();
}
