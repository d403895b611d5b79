namespace SecureCompute.Grains.Interfaces.Wire;

/// <summary>
/// Ring elements on the wire: a shape and the elements as little-endian int64 bytes.
/// </summary>
/// <remarks>
/// Orleans' codec for <c>long[]</c> encodes element by element (~75 ms per million elements each way measured here);
/// a <c>byte[]</c> is copied as a block. Messages are limited (<see cref="MaxBytes"/>) below Orleans' 100 MB body
/// limit, so a larger tensor is refused here with a clear error instead of timing out in the transport; callers
/// split it (<see cref="MaxElements"/> per message). <see cref="ToString"/> never shows the elements.
/// </remarks>
/// <param name="Shape">The tensor's shape.</param>
/// <param name="Data">The elements, 8 bytes each, little-endian, row-major.</param>
[GenerateSerializer, Immutable, Alias("SecureCompute.RingTensor")]
public sealed record RingTensor([property: Id(0)] long[] Shape, [property: Id(1)] byte[] Data)
{
    /// <summary>The largest payload one message carries: 64 MiB, well under Orleans' 100 MB message body limit.</summary>
    public const int MaxBytes = 64 * 1024 * 1024;

    /// <summary>The most ring elements one message carries.</summary>
    public const int MaxElements = MaxBytes / sizeof(long);

    /// <summary>Number of elements the shape describes.</summary>
    public long ElementCount => Shape.Aggregate(1L, (a, b) => a * b);

    /// <summary>Checks that the data matches the shape and (unless <paramref name="forWire"/> is false) fits one message.</summary>
    /// <param name="forWire">Whether the tensor is about to be sent (false for a whole open that will be cut into parts).</param>
    /// <exception cref="ArgumentException">The shape is negative, the byte count does not match, or the payload is too large.</exception>
    public RingTensor Validate(bool forWire = true)
    {
        if (Shape.Any(d => d < 0))
        {
            throw new ArgumentException($"A ring tensor's shape has no negative dimensions: [{string.Join(", ", Shape)}].");
        }
        if (forWire && ElementCount > MaxElements)
        {
            throw new ArgumentException(
                $"A ring tensor of {ElementCount:N0} elements ({ElementCount * sizeof(long):N0} bytes) exceeds one message's {MaxBytes:N0} bytes; split it into parts of at most {MaxElements:N0} elements (OpenChunking does this for opens).");
        }
        if (Data.LongLength != ElementCount * sizeof(long))
        {
            throw new ArgumentException($"Shape [{string.Join(", ", Shape)}] needs {ElementCount * sizeof(long):N0} bytes, not {Data.LongLength:N0}.");
        }
        return this;
    }

    /// <summary>Describes the tensor without its elements.</summary>
    public override string ToString() => $"RingTensor([{string.Join(", ", Shape)}])";
}
