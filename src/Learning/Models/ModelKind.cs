namespace SecureCompute.Learning.Models;

/// <summary>The models a session can train.</summary>
public enum ModelKind
{
    /// <summary>Linear regression (squared error).</summary>
    Linear,

    /// <summary>Logistic regression: one logit, binary labels 0/1.</summary>
    Logistic,

    /// <summary>Softmax regression: K logits, labels 0..K−1.</summary>
    Softmax,

    /// <summary>A multi-layer perceptron with ReLU hidden layers and a softmax output.</summary>
    Mlp,
}
