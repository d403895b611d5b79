namespace SecureCompute.Grains.Policy;

/// <summary>What a <see cref="PolicyPattern"/> stands for.</summary>
public enum PatternKind
{
    /// <summary><c>*</c>: anyone, an anonymous client included.</summary>
    Anyone,

    /// <summary><c>$parties</c>: every party of the session and every operator of one.</summary>
    SessionParties,

    /// <summary><c>$starter</c>: the client identity that started the session.</summary>
    Starter,

    /// <summary>A party id (<c>hospital-2</c>): that party and every operator of it.</summary>
    Party,

    /// <summary><c>party:*</c>: any operator of that party.</summary>
    AnyOperatorOf,

    /// <summary>A client identity (<c>hospital-2:alice</c>): that operator only.</summary>
    Operator,
}
