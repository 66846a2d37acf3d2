using IntegrationHub.Bot.Handoff;

namespace IntegrationHub.Bot.Tests.Handoff;

public sealed class FieldExtractorTests
{
    [Theory]
    [InlineData("my order is ORD-48213, please check", "ORD-48213")]
    [InlineData("it's 55120931", "55120931")]
    public void Extract_OrderNumber_FindsIt(string reply, string expected) =>
        Assert.Equal(expected, FieldExtractor.Extract("order_number", null, reply));

    [Theory]
    [InlineData("I paid with ************1111")]
    [InlineData("card **** **** **** 4242 was charged")]
    [InlineData("card ****-****-****-4242 was charged")]
    public void Extract_OrderNumber_NotTheTailOfAMaskedCard(string reply) =>
        Assert.Null(FieldExtractor.Extract("order_number", null, reply));
}
