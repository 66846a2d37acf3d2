using System.Text.Json;
using IntegrationHub.Bot.Intents;

namespace IntegrationHub.Bot.Tests.Intents;

public class IntentClassifierTests
{
    static readonly IReadOnlyList<IntentExample> Shop = SampleContent.Intents()
        .SelectMany(i => i.Examples.Select(e => new IntentExample(e, i.Name))).ToList();

    sealed record Row(string Text, string Intent, string Split);

    static List<Row> Hwu() => File.ReadLines(Path.Combine(AppContext.BaseDirectory, "Data", "hwu64-sample.jsonl"))
        .Select(l => JsonSerializer.Deserialize<Row>(l, new JsonSerializerOptions(JsonSerializerDefaults.Web))!).ToList();

    [Fact]
    public void Train_HwuSample_ClassifiesHeldOutTestRows()
    {
        var rows = Hwu();
        var classifier = IntentClassifierTrainer.Train(rows.Where(r => r.Split == "train").Select(r => new IntentExample(r.Text, r.Intent)).ToList());
        var test = rows.Where(r => r.Split == "test").ToList();

        var correct = test.Count(r => classifier.Classify(r.Text, 1, 0).Intent == r.Intent);

        Assert.True(correct >= 0.8 * test.Count, $"{correct}/{test.Count} correct");
    }

    [Theory]
    [InlineData("wher is my ordr", "order_status")]
    [InlineData("i forgot my pasword", "reset_password")]
    [InlineData("has my parcle been sent", "order_status")]
    [InlineData("I'd like to send these trousers back", "return_item")]
    [InlineData("when do i get my money back", "refund_status")]
    public void Classify_TyposAndParaphrases_FindsIntent(string text, string expected)
    {
        var classifier = IntentClassifierTrainer.Train(Shop);

        Assert.Equal(expected, classifier.Classify(text, 3, 0).Intent);
    }

    [Theory]
    [InlineData("what is the capital of peru")]
    [InlineData("what time does the football match start")]
    [InlineData("xqzv plorf")]
    public void Classify_UnrelatedMessage_IsOutOfScope(string text)
    {
        var classifier = IntentClassifierTrainer.Train(Shop, null, 0.35);

        var prediction = classifier.Classify(text);

        Assert.True(prediction.OutOfScope, $"{prediction.Ranking.FirstOrDefault()} at {prediction.Confidence:0.00}");
        Assert.Null(prediction.Intent);
    }

    [Fact]
    public void Classify_InScopeMessage_IsConfidentAndCalibrated()
    {
        var classifier = IntentClassifierTrainer.Train(Shop, null, 0.35);

        var prediction = classifier.Classify("where is my order");
        var probabilities = classifier.Probabilities("where is my order")!;

        Assert.False(prediction.OutOfScope);
        Assert.True(prediction.Confidence > 0.5, $"confidence {prediction.Confidence}");
        Assert.Equal(1.0, probabilities.Sum(), 3);
        Assert.InRange(classifier.Temperature, 0.05, 5.0);
    }

    // Calibrated means "0.8 confident" is right about 80% of the time: the expected calibration error (Guo et al.
    // 2017, 10 equal-width bins) of the top-1 confidence over held-out rows stays small.
    [Fact]
    public void Classify_HwuSampleHeldOut_ConfidenceMatchesAccuracy()
    {
        var rows = Hwu();
        var classifier = IntentClassifierTrainer.Train(rows.Where(r => r.Split == "train").Select(r => new IntentExample(r.Text, r.Intent)).ToList());
        var predictions = rows.Where(r => r.Split == "test")
            .Select(r => classifier.Classify(r.Text, 1, 0)).Zip(rows.Where(r => r.Split == "test"), (p, r) => (p.Confidence, Correct: p.Ranking.FirstOrDefault()?.Intent == r.Intent))
            .ToList();

        var ece = predictions.GroupBy(p => Math.Min(9, (int)(p.Confidence * 10)))
            .Sum(bin => bin.Count() / (double)predictions.Count * Math.Abs(bin.Average(p => p.Confidence) - bin.Average(p => p.Correct ? 1.0 : 0.0)));
        var accuracy = predictions.Average(p => p.Correct ? 1.0 : 0.0);
        var meanConfidence = predictions.Average(p => p.Confidence);

        Assert.True(ece < 0.12, $"ECE {ece:F3}, accuracy {accuracy:F3}, mean confidence {meanConfidence:F3} over {predictions.Count} rows");
        Assert.InRange(meanConfidence - accuracy, -0.1, 0.1);
    }

    [Fact]
    public void Train_SameExamplesInAnyOrder_GivesIdenticalModel()
    {
        var shuffled = Shop.Reverse().ToList();
        var a = IntentClassifierTrainer.Train(Shop);
        var b = IntentClassifierTrainer.Train(shuffled);

        foreach (var text in new[] { "where is my order", "refund please", "zzz" })
            Assert.Equal(a.Probabilities(text), b.Probabilities(text));
    }

    [Fact]
    public void Train_ValidationWithOutOfScope_TunesThresholdToRejectThem()
    {
        var validation = new List<IntentExample>
        {
            new("where's my parcel", "order_status"), new("return these boots", "return_item"), new("reset my password please", "reset_password"),
            new("what's the weather in paris", "oos"), new("play some jazz", "oos"), new("how tall is everest", "oos"),
        };

        var classifier = IntentClassifierTrainer.Train(Shop, validation, defaultOosThreshold: 0.01);

        Assert.NotEqual(0.01, classifier.OosThreshold);
        Assert.True(classifier.Classify("play some jazz").OutOfScope);
        Assert.False(classifier.Classify("where's my parcel").OutOfScope);
    }

    [Fact]
    public void Train_OosExamplesInTraining_BecomeRejectClass()
    {
        var train = Shop.Concat(new[] { "what's the weather", "play a song", "how tall is everest", "who won the football", "tell me a joke" }
            .Select(t => new IntentExample(t, IntentExample.OutOfScope))).ToList();

        var classifier = IntentClassifierTrainer.Train(train);

        Assert.True(classifier.Classify("tell me a funny joke").OutOfScope);
        Assert.DoesNotContain(classifier.Classify("tell me a funny joke").Ranking, r => r.Intent == IntentExample.OutOfScope);
    }
}
