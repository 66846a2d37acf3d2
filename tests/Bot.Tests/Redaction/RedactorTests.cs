using IntegrationHub.Bot.Redaction;

namespace IntegrationHub.Bot.Tests.Redaction;

public class RedactorTests
{
    readonly Redactor _redactor = new([new RedactionPattern("iban", @"\bGB\d{2}[A-Z]{4}\d{14}\b")]);

    [Theory]
    [InlineData("card 4111111111111111 ok", "card ************1111 ok")]
    [InlineData("card 4111 1111 1111 1111", "card **** **** **** 1111")]
    [InlineData("card 5500-0000-0000-0004.", "card ****-****-****-0004.")]
    [InlineData("amex 378282246310005", "amex ***********0005")]
    public void Redact_LuhnValidCardNumbers_MasksAllButLastFour(string input, string expected) =>
        Assert.Equal(expected, _redactor.Redact(input));

    [Theory]
    [InlineData("order 4111111111111112")] // fails Luhn
    [InlineData("call 0113 496 0000")]
    [InlineData("tracking 1234567890123")] // 13 digits, fails Luhn
    [InlineData("order A12345")]
    public void Redact_DigitsThatAreNotCards_AreLeftAlone(string input) =>
        Assert.Equal(input, _redactor.Redact(input));

    [Fact]
    public void Redact_ConfiguredPattern_IsMaskedWithItsName() =>
        Assert.Equal("pay to [redacted iban] today", _redactor.Redact("pay to GB29NWBK60161331926819 today"));

    [Fact]
    public void Redact_AlreadyRedacted_IsUnchanged()
    {
        var once = _redactor.Redact("4111 1111 1111 1111 and GB29NWBK60161331926819");
        Assert.Equal(once, _redactor.Redact(once));
    }

    [Theory]
    [InlineData("79927398713", true)]
    [InlineData("79927398710", false)]
    public void IsValid_ReferenceNumbers_FollowsLuhn(string digits, bool valid) => Assert.Equal(valid, Luhn.IsValid(digits));
}
