using SecureCompute.Grains.Interfaces.Governance;
using SecureCompute.Grains.Policy;

namespace SecureCompute.Grains.Tests.Policy;

public sealed class PolicyPatternTests
{
    private static readonly string[] Parties = ["hospital-1", "hospital-2"];
    private static readonly OperatorIdentity Starter = new("hospital-9", "carol");

    [Theory]
    [InlineData("*", "hospital-7", true)]
    [InlineData("*", "hospital-7:zed", true)]
    [InlineData("*", null, true)]
    [InlineData("$parties", "hospital-2", true)]
    [InlineData("$parties", "hospital-2:bob", true)]
    [InlineData("$parties", "hospital-9:carol", false)]
    [InlineData("$parties", "hospital-9", false)]
    [InlineData("$parties", null, false)]
    [InlineData("$starter", "hospital-9:carol", true)]
    [InlineData("$starter", "hospital-9:dave", false)]
    [InlineData("$starter", "hospital-9", false)]
    [InlineData("hospital-2", "hospital-2", true)]
    [InlineData("hospital-2", "hospital-2:bob", true)]
    [InlineData("hospital-2", "hospital-3", false)]
    [InlineData("hospital-2", "hospital-20", false)]
    [InlineData("hospital-2:*", "hospital-2:bob", true)]
    [InlineData("hospital-2:*", "hospital-2", true)]
    [InlineData("hospital-2:*", "hospital-3:bob", false)]
    [InlineData("hospital-2:bob", "hospital-2:bob", true)]
    [InlineData("hospital-2:bob", "hospital-2", false)]
    [InlineData("hospital-2:bob", "hospital-2:eve", false)]
    [InlineData("hospital-2:bob", "hospital-2:bob:x", false)]
    public void Covers(string pattern, string? subject, bool covered)
    {
        PolicyPattern parsed = PolicyPattern.Parse(pattern);
        Assert.Equal(pattern, parsed.ToString());
        Assert.Equal(covered, parsed.Covers(subject, Parties, Starter));
    }

    [Fact]
    public void StarterCoversNothingForAnAnonymousSession()
    {
        Assert.False(PolicyPattern.Starter.Covers("hospital-9:carol", Parties, null));
        Assert.False(PolicyPattern.Starter.Covers(null, Parties, null));
    }

    [Theory]
    [InlineData("")]
    [InlineData("$all")]
    [InlineData("hospital 2")]
    [InlineData("hospital-2:")]
    [InlineData(":bob")]
    [InlineData("a:b:c")]
    [InlineData("hospital.2")]
    [InlineData(" hospital-2:bob")]
    [InlineData("*:bob")]
    public void InvalidPatternsAreRefusedWithAReason(string text)
    {
        Assert.Null(PolicyPattern.TryParse(text, out string? problem));
        Assert.False(string.IsNullOrEmpty(problem));
        Assert.Throws<ArgumentException>(() => PolicyPattern.Parse(text));
    }
}
