namespace SecureCompute.Grains.Training;

/// <summary>The models the training programs fit.</summary>
public enum ModelKind
{
    /// <summary>Logistic regression (sigmoid of a linear score), labels 0/1.</summary>
    Logistic,

    /// <summary>Linear regression, mean squared error.</summary>
    Linear,

    /// <summary>Softmax regression over K classes (the learning layer's program).</summary>
    Softmax,

    /// <summary>A ReLU multi-layer perceptron with a softmax output (the learning layer's program).</summary>
    Mlp,
}
