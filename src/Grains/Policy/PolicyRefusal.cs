namespace SecureCompute.Grains.Policy;

/// <summary>One rule of a party's policy that a session breaks.</summary>
/// <param name="Rule">The rule.</param>
/// <param name="Reason">A short text naming the rule's limit and the public spec item at fault — never a data value.</param>
public sealed record PolicyRefusal(PolicyRule Rule, string Reason)
{
    /// <summary>The rule's name as the policy file's field is written (<c>maxEpochs</c>, <c>starter</c>).</summary>
    public string RuleName => PolicyJsonNames.Of(Rule);

    /// <summary><c>rule maxEpochs: 50 epochs exceed this party's maximum of 20</c>.</summary>
    public override string ToString() => $"rule {RuleName}: {Reason}";
}
