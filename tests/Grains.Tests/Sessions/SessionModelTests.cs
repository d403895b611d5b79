using SecureCompute.Grains.Interfaces.Sessions;

namespace SecureCompute.Grains.Tests.Sessions;

/// <summary>A model's name is read once, where text comes in: lower-case names, any case, nothing else.</summary>
public sealed class SessionModelTests
{
    [Theory]
    [InlineData("logistic", SessionModel.Logistic)]
    [InlineData("Linear", SessionModel.Linear)]
    [InlineData(" SOFTMAX ", SessionModel.Softmax)]
    [InlineData("mlp", SessionModel.Mlp)]
    public void EveryNameParsesInAnyCase(string text, SessionModel expected) => Assert.Equal(expected, SessionModels.Parse(text));

    [Theory]
    [InlineData("forest")]
    [InlineData("0")]
    [InlineData("3")]
    [InlineData("logistic,linear")]
    [InlineData("")]
    [InlineData(null)]
    public void AnotherWordOrANumberIsNoModel(string? text) => Assert.Null(SessionModels.Parse(text));

    [Fact]
    public void NamesAreLowerCaseAndRoundTrip()
    {
        Assert.Equal("'logistic', 'linear', 'softmax', 'mlp'", SessionModels.Names);
        Assert.All(SessionModels.All, m => Assert.Equal(m, SessionModels.Parse(m.Name())));
        Assert.Equal([SessionModel.Softmax, SessionModel.Mlp], SessionModels.All.Where(m => m.IsMultiClass()));
    }
}
