using IntegrationHub.Bot.Text;

namespace IntegrationHub.Bot.Tests.Intents;

public class PorterStemmerTests
{
    [Theory]
    [InlineData("returns", "return")]
    [InlineData("returning", "return")]
    [InlineData("returned", "return")]
    [InlineData("caresses", "caress")]
    [InlineData("ponies", "poni")]
    [InlineData("relational", "relat")]
    [InlineData("delivery", "deliveri")]
    [InlineData("deliveries", "deliveri")]
    [InlineData("hopping", "hop")]
    [InlineData("generalization", "gener")]
    public void Stem_KnownWords_MatchesPorterReference(string word, string stem) =>
        Assert.Equal(stem, PorterStemmer.Stem(word));

    [Fact]
    public void Normalize_PunctuationCaseAndAccents_AreFolded() =>
        Assert.Equal("dont worry cafe 42", TextNormalizer.Normalize("  Don't   WORRY — Café #42!"));
}
