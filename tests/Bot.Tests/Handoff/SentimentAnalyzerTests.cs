using IntegrationHub.Bot.Handoff;

namespace IntegrationHub.Bot.Tests.Handoff;

public class SentimentAnalyzerTests
{
    [Theory]
    [InlineData("Thanks, that was really helpful!", Sentiment.Positive)]
    [InlineData("Where is my order?", Sentiment.Neutral)]
    [InlineData("The delivery was late and the box was damaged", Sentiment.Negative)]
    [InlineData("This is the worst service, absolutely useless", Sentiment.Frustrated)]
    [InlineData("I already told you my order number", Sentiment.Frustrated)]
    [InlineData("It's not bad", Sentiment.Neutral)]
    public void Analyze_Message_GivesLabel(string text, string label) =>
        Assert.Equal(label, SentimentAnalyzer.Analyze(text).Label);

    [Fact]
    public void Analyze_SecondNegativeMessageInARow_IsFrustration() =>
        Assert.Equal(Sentiment.Frustrated, SentimentAnalyzer.Analyze("still wrong and late", "this is bad").Label);
}
