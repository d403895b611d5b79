namespace SecureCompute.Grains.Interfaces.Governance;

/// <summary>
/// A grain call refused at the authorization boundary: the method may be called only by the role the protocol names.
/// The message names the method, the role it needs and the caller's role — never an argument's value.
/// </summary>
[GenerateSerializer, Alias("SecureCompute.CallRefusedException")]
public sealed class CallRefusedException : UnauthorizedAccessException
{
    /// <summary>A refusal of <paramref name="method"/> for <paramref name="caller"/>, which needs <paramref name="needed"/>.</summary>
    public CallRefusedException(string method, string caller, string needed)
        : base($"Refused: {method} may be called only by {needed}; the caller is {caller}.")
    {
        Method = method;
        Caller = caller;
    }

    /// <summary>The refused method (interface.method).</summary>
    [Id(0)]
    public string Method { get; init; } = "";

    /// <summary>The caller's role as the silo saw it.</summary>
    [Id(1)]
    public string Caller { get; init; } = "";
}
