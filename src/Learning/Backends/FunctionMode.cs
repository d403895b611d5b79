namespace SecureCompute.Learning.Backends;

/// <summary>How a plaintext backend evaluates non-linear functions.</summary>
public enum FunctionMode
{
    /// <summary>The exact functions (the plaintext baseline).</summary>
    Exact,

    /// <summary>The secret backend's approximations (the fidelity twin: same program, same approximations).</summary>
    Approximate,
}
