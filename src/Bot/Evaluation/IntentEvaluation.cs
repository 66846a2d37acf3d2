using System.Diagnostics;
using System.Text.Json.Nodes;
using IntegrationHub.Bot.Intents;

namespace IntegrationHub.Bot.Evaluation;

/// <summary>
/// <c>eval intents --data FILE [--oos-intents N | NAMES]</c>: trains the built-in classifier on the train split,
/// tunes temperature and out-of-scope threshold on val (carved from train when absent), reports on test.
/// </summary>
/// <remarks>
/// <c>--oos-intents N</c> turns N intents (every k-th in name order, so the choice is reproducible)
/// into unseen out-of-scope traffic: removed from training, labelled <c>oos</c> in val and test. It
/// measures out-of-scope detection on data sets such as HWU64 that ship no out-of-scope rows.
/// <c>--oos-intents alarm_*,weather_query</c> names them instead (a trailing <c>*</c> is a prefix), e.g. whole
/// HWU64 scenarios, which is closer to off-topic traffic than an intent whose neighbours stay trained.
/// </remarks>
internal static class IntentEvaluation
{
    sealed record Row(string Text, string Intent, string Split);

    public static JsonObject Run(string dataPath, string? oosIntents, TextWriter output)
    {
        var rows = JsonLines.Read<Row>(dataPath);
        if (rows.Any(r => r.Text is null || r.Intent is null || r.Split is null))
            throw new EvalUsageException($"{dataPath}: every line needs text, intent and split");
        var heldOut = ChooseUnseen(rows.Where(r => r.Intent != IntentExample.OutOfScope).Select(r => r.Intent), oosIntents);
        string Label(Row r) => heldOut.Contains(r.Intent) ? IntentExample.OutOfScope : r.Intent;

        var train = new List<IntentExample>();
        var val = new List<IntentExample>();
        var test = new List<IntentExample>();
        var unseenTrainRows = 0;
        foreach (var r in rows)
        {
            var example = new IntentExample(r.Text, Label(r));
            switch (r.Split)
            {
                // Unseen intents only teach the threshold: one train row in ten, the same rate at which
                // val is carved, so val keeps the in-scope/out-of-scope mix of test.
                case "train" when heldOut.Contains(r.Intent):
                    if (unseenTrainRows++ % 10 == 9) val.Add(example);
                    break;
                case "train": train.Add(example); break;
                case "val" or "validation" or "dev": val.Add(example); break;
                case "test": test.Add(example); break;
                default: throw new EvalUsageException($"{dataPath}: unknown split '{r.Split}' (train | val | test)");
            }
        }
        if (train.Count == 0 || test.Count == 0) throw new EvalUsageException($"{dataPath}: needs train and test rows");
        var carved = false;
        if (!val.Any(v => v.Intent != IntentExample.OutOfScope))
        {
            // No validation split: carve every 10th train example of each intent (stable order).
            carved = true;
            var keep = new List<IntentExample>();
            foreach (var group in train.OrderBy(e => e.Intent, StringComparer.Ordinal).ThenBy(e => e.Text, StringComparer.Ordinal).GroupBy(e => e.Intent))
            {
                var i = 0;
                foreach (var e in group) (i++ % 10 == 9 ? val : keep).Add(e);
            }
            train = keep;
        }
        output.WriteLine($"intents: {train.Select(t => t.Intent).Distinct().Count()} trained, {heldOut.Count} held out as out-of-scope; train {train.Count}, val {val.Count}{(carved ? " (carved from train)" : "")}, test {test.Count}");

        var clock = Stopwatch.StartNew();
        var classifier = IntentClassifierTrainer.Train(train, val);
        var trainSeconds = clock.Elapsed.TotalSeconds;
        var valInScope = val.Where(v => v.Intent != IntentExample.OutOfScope).ToList();
        var valAccuracy = Ratio(valInScope.Count(v => classifier.Classify(v.Text, 1, 0).Intent == v.Intent), valInScope.Count);
        output.WriteLine($"trained in {trainSeconds:F2} s; temperature {classifier.Temperature:F3}, out-of-scope threshold {classifier.OosThreshold:F3}, val accuracy {valAccuracy:F4}");

        foreach (var e in test.Take(50)) classifier.Classify(e.Text); // warm up the JIT before timing
        var latencies = new List<double>(test.Count);
        var predictions = new List<(IntentExample Example, IntentPrediction Prediction)>(test.Count);
        foreach (var e in test)
        {
            var start = Stopwatch.GetTimestamp();
            var p = classifier.Classify(e.Text);
            latencies.Add(Percentiles.Microseconds(Stopwatch.GetTimestamp() - start));
            predictions.Add((e, p));
        }

        var inScope = predictions.Where(p => p.Example.Intent != IntentExample.OutOfScope).ToList();
        var closedSetCorrect = inScope.Count(p => p.Prediction.Ranking.Count > 0 && p.Prediction.Ranking[0].Intent == p.Example.Intent);
        var acceptedCorrect = inScope.Count(p => !p.Prediction.OutOfScope && p.Prediction.Intent == p.Example.Intent);
        var oosRows = predictions.Where(p => p.Example.Intent == IntentExample.OutOfScope).ToList();
        var rejected = predictions.Where(p => p.Prediction.OutOfScope).ToList();

        var result = new JsonObject
        {
            ["command"] = "intents",
            ["data"] = Path.GetFileName(dataPath),
            ["intents"] = train.Select(t => t.Intent).Distinct().Count(),
            ["train"] = train.Count,
            ["val"] = val.Count,
            ["test"] = test.Count,
            ["accuracy"] = Round(Ratio(closedSetCorrect, inScope.Count)),
            ["accuracy_with_rejection"] = Round(Ratio(acceptedCorrect, inScope.Count)),
            ["macro_f1"] = Round(MacroF1(inScope.Select(p => (p.Example.Intent, p.Prediction.Ranking.Count > 0 ? p.Prediction.Ranking[0].Intent : "")).ToList())),
            ["oos_recall"] = oosRows.Count == 0 ? null : Round(Ratio(oosRows.Count(p => p.Prediction.OutOfScope), oosRows.Count)),
            ["oos_precision"] = oosRows.Count == 0 ? null : Round(Ratio(rejected.Count(p => p.Example.Intent == IntentExample.OutOfScope), rejected.Count)),
            ["oos_auroc"] = oosRows.Count == 0 || inScope.Count == 0 ? null : Round(Auroc(inScope.Select(p => p.Prediction.Confidence).ToList(), oosRows.Select(p => p.Prediction.Confidence).ToList())),
            ["val_accuracy"] = Round(valAccuracy),
            ["oos_threshold"] = Round(classifier.OosThreshold),
            ["temperature"] = Round(classifier.Temperature),
            ["train_seconds"] = Math.Round(trainSeconds, 3),
            ["p50_us"] = Math.Round(Percentiles.Of(latencies, 50), 1),
            ["p99_us"] = Math.Round(Percentiles.Of(latencies, 99), 1),
        };
        output.WriteLine($"accuracy (in-scope, closed set) {result["accuracy"]}, with rejection {result["accuracy_with_rejection"]}, macro-F1 {result["macro_f1"]}");
        output.WriteLine($"out-of-scope recall {result["oos_recall"]?.ToString() ?? "n/a"}, precision {result["oos_precision"]?.ToString() ?? "n/a"}, AUROC {result["oos_auroc"]?.ToString() ?? "n/a"}; classify p50 {result["p50_us"]} µs, p99 {result["p99_us"]} µs");
        return result;
    }

    /// <summary><paramref name="spec"/> is a count (every k-th intent in name order) or a comma list of names and prefixes ending in *.</summary>
    static HashSet<string> ChooseUnseen(IEnumerable<string> intents, string? spec)
    {
        var names = intents.Distinct().Order(StringComparer.Ordinal).ToList();
        if (string.IsNullOrWhiteSpace(spec)) return [];
        var chosen = new HashSet<string>(StringComparer.Ordinal);
        if (int.TryParse(spec, out var count))
        {
            if (count < 0) throw new EvalUsageException($"--oos-intents must be a count or intent names, got '{spec}'");
            if (count >= names.Count) throw new EvalUsageException($"--oos-intents {spec} leaves no intent to train");
            for (var i = 0; i < count; i++) chosen.Add(names[(int)((i + 0.5) * names.Count / count)]);
        }
        else
        {
            foreach (var pattern in spec.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var matches = pattern.EndsWith('*')
                    ? names.Where(n => n.StartsWith(pattern[..^1], StringComparison.Ordinal)).ToList()
                    : names.Where(n => n == pattern).ToList();
                if (matches.Count == 0) throw new EvalUsageException($"--oos-intents: '{pattern}' matches no intent in the data");
                chosen.UnionWith(matches);
            }
            if (chosen.Count >= names.Count) throw new EvalUsageException($"--oos-intents {spec} leaves no intent to train");
        }
        return chosen;
    }

    /// <summary>
    /// How well confidence alone separates in-scope from out-of-scope messages, whatever the threshold: the chance
    /// that a random in-scope message is more confident than a random out-of-scope one (ties count half).
    /// </summary>
    static double Auroc(List<double> inScope, List<double> outOfScope)
    {
        double wins = 0;
        foreach (var a in inScope)
            foreach (var b in outOfScope)
                wins += a > b ? 1 : a == b ? 0.5 : 0;
        return wins / inScope.Count / outOfScope.Count;
    }

    static double MacroF1(List<(string Gold, string Predicted)> pairs)
    {
        var labels = pairs.Select(p => p.Gold).Distinct().Order(StringComparer.Ordinal);
        var scores = new List<double>();
        foreach (var label in labels)
        {
            var tp = pairs.Count(p => p.Gold == label && p.Predicted == label);
            var fp = pairs.Count(p => p.Gold != label && p.Predicted == label);
            var fn = pairs.Count(p => p.Gold == label && p.Predicted != label);
            scores.Add(tp == 0 ? 0 : 2.0 * tp / (2.0 * tp + fp + fn));
        }
        return scores.Count == 0 ? 0 : scores.Average();
    }

    static double Ratio(int a, int b) => b == 0 ? 0 : (double)a / b;
    static double Round(double v) => Math.Round(v, 4);
}
