namespace SecureCompute.Learning.Losses;

/// <summary>A loss on a model's output, as the gradient a backward pass starts from.</summary>
/// <typeparam name="T">The backend's tensor type.</typeparam>
public interface ILoss<T>
    where T : class, IDisposable
{
    /// <summary>
    /// The error e whose sum over the batch's rows is the loss's gradient with respect to the output (softmax
    /// cross-entropy: softmax(z) − y; squared error: z − y). The 1/batch of the mean is the optimizer's
    /// (<see cref="Optimizers.Sgd{T}"/> scales by the learning rate over the batch size in one product).
    /// </summary>
    T Error(T output, T target);
}
