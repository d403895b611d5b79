using SecureCompute.Grains.Interfaces.Rounds;
using SecureCompute.Grains.Interfaces.Wire;
using SecureCompute.Grains.Sessions;

namespace SecureCompute.Grains.Tests;

/// <summary>Opens larger than one message travel as parts; combining the parts equals combining the whole.</summary>
public class OpenChunkingTests
{
    [Theory]
    [InlineData(false, 64)]
    [InlineData(true, 64)]
    [InlineData(false, 8)]
    [InlineData(true, 512)]
    public void PartsCombineLikeTheWhole(bool xor, int maxBytes)
    {
        var random = new Random(maxBytes + (xor ? 1 : 0));
        long[][] shapes = { new long[] { 3, 7 }, new long[] { 1 }, new long[] { 130 }, new long[] { 2, 2, 5 } };
        OpenContribution[] parties = Enumerable.Range(0, 3).Select(_ => new OpenContribution(9, "MatMul", xor,
            shapes.Select(s => new RingTensor(s, RandomBytes(random, s.Aggregate(1L, (a, b) => a * b) * 8))).ToArray())).ToArray();

        OpenContribution whole = OpenCombiner.Combine(parties);
        OpenContribution[][] parts = parties.Select(p => OpenChunking.Split(p, maxBytes)).ToArray();
        int count = parts[0].Length;
        Assert.True(count > 1, "the test's message must need several parts");
        Assert.All(parts, p => Assert.Equal(count, p.Length));
        Assert.All(parts.SelectMany(p => p), p => Assert.True(p.Values.Single().Data.Length <= maxBytes));
        OpenContribution[] opened = Enumerable.Range(0, count).Select(c => OpenCombiner.Combine(parts.Select(p => p[c]).ToArray())).ToArray();
        OpenContribution joined = OpenChunking.Join(opened, shapes);

        Assert.Equal(whole.Values.Length, joined.Values.Length);
        for (int t = 0; t < shapes.Length; t++)
        {
            Assert.Equal(shapes[t], joined.Values[t].Shape);
            Assert.Equal(whole.Values[t].Data, joined.Values[t].Data);
        }
        // Independent reference for the sum: element-wise over the three parties' words.
        long[] first = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, long>(joined.Values[2].Data).ToArray();
        for (int i = 0; i < first.Length; i++)
        {
            long[] words = parties.Select(p => BitConverter.ToInt64(p.Values[2].Data, i * 8)).ToArray();
            long expected = xor ? words[0] ^ words[1] ^ words[2] : unchecked(words[0] + words[1] + words[2]);
            Assert.Equal(expected, first[i]);
        }
    }

    [Fact]
    public void SmallOpensAreNotCut()
    {
        var message = new OpenContribution(0, "Open", false, new[] { new RingTensor(new long[] { 4 }, new byte[32]) });
        Assert.Same(message, Assert.Single(OpenChunking.Split(message)));
    }

    [Fact]
    public void MissingPartsAreRefused()
    {
        var message = new OpenContribution(0, "Open", false, new[] { new RingTensor(new long[] { 10 }, new byte[80]) });
        OpenContribution[] parts = OpenChunking.Split(message, 16);
        var error = Assert.Throws<ArgumentException>(() => OpenChunking.Join(parts[..^1], new[] { new long[] { 10 } }));
        Assert.Contains("incomplete", error.Message);
    }

    private static byte[] RandomBytes(Random random, long length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }
}
