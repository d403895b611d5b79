using SecureCompute.Learning.Backends;
using SecureCompute.Learning.Models;
using SecureCompute.Learning.Privacy;
using SecureCompute.Learning.Programs;
using SecureCompute.Mpc.Engine;
using SecureCompute.Mpc.Randomness;
using SecureCompute.Mpc.Secret;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace SecureCompute.Learning.Tests.Privacy;

/// <summary>
/// DP-SGD as a learning program on shares: the noise each party adds (its distribution, and what a coalition of the
/// others is left not knowing), the program against its float64 twin holding the same noise seeds, and what a DP
/// program releases.
/// </summary>
public sealed class DpSgdProgramTests(ITestOutputHelper output)
{
    /// <summary>
    /// AddNoise on a zero tensor of 20,000 entries among 3 parties, σ = 0.5: each party's own noise (its share after
    /// minus before) has variance σ²/(n − t); the opened total n·σ²/(n − t); with t = 2 what parties 0 and 1 know
    /// leaves party 2's noise alone, of variance σ². Tolerance: 5 standard errors of a sample variance, 5·√(2/n)·v,
    /// plus the fixed-point unit's 2^-32 (the noise is integer at f = 16).
    /// </summary>
    [Theory]
    [InlineData(2)]
    [InlineData(0)]
    public void EachPartysNoiseAloneCarriesTheDeviationAgainstTheOthers(int tolerated)
    {
        using var scope = NewDisposeScope();
        const int parties = 3, n = 20_000;
        const double sigma = 0.5;
        using var mpc = new MpcEngine(parties);
        using var noise = new PartyNoise(Enumerable.Range(0, parties).ToDictionary(p => p, p => Seed.Reproducible(200 + p)()), parties, parties - tolerated);
        var backend = new SecretBackend(mpc, noise: noise);
        SecretTensor zero = SecretTensor.Share(mpc, new long[] { n, 1 }, zeros(n, 1, ScalarType.Float64), 0);
        SecretTensor noisy = backend.AddNoise(new[] { zero }, sigma)[0];
        double scale = Math.Pow(2, -16);
        double[][] own = Enumerable.Range(0, parties).Select(p =>
            noisy.Shares.Shares[p].Value.sub(zero.Shares.Shares[p].Value).to_type(ScalarType.Float64).mul(scale).data<double>().ToArray()).ToArray();
        double perParty = sigma * sigma / (parties - tolerated);
        foreach (double[] party in own)
        {
            Assert.True(Close(Variance(party), perParty, n), $"a party's own noise: variance {Variance(party)} vs {perParty}");
        }
        double[] total = noisy.OpenReal().contiguous().data<double>().ToArray();
        Assert.True(Close(Variance(total), parties * perParty, n), $"total noise: variance {Variance(total)} vs {parties * perParty}");
        Assert.True(Math.Abs(total.Average()) <= 5 * Math.Sqrt(parties * perParty / n), $"mean {total.Average()}");
        // What parties 0 and 1 can subtract: their own noise. The rest is party 2's.
        double[] unknown = total.Select((v, i) => v - own[0][i] - own[1][i]).ToArray();
        Assert.True(Close(Variance(unknown), perParty, n), $"the noise parties 0 and 1 do not know: variance {Variance(unknown)} vs {perParty}");
        if (tolerated == parties - 1)
        {
            Assert.True(Close(Variance(unknown), sigma * sigma, n), "with t = n − 1 one party's noise alone has the full deviation");
        }
    }

    [Fact]
    public void ABackendWithoutNoiseRefusesToAddIt()
    {
        using var scope = NewDisposeScope();
        using var mpc = new MpcEngine(2);
        SecretTensor zero = SecretTensor.Share(mpc, new long[] { 3, 1 }, zeros(3, 1, ScalarType.Float64), 0);
        Assert.Throws<InvalidOperationException>(() => new SecretBackend(mpc).AddNoise(new[] { zero }, 1.0));
        Assert.Throws<InvalidOperationException>(() => new PlaintextBackend().AddNoise(new[] { zeros(3, 1, ScalarType.Float64) }, 1.0));
    }

    /// <summary>
    /// Softmax regression on digits (3 parties, public pixel bounds [0, 16], σ = 1, C = 1, 2 epochs) on shares and in
    /// float64 with the same parties' noise seeds: the same noise, so the models agree to fixed-point error (max |Δw|
    /// ≤ 0.01, the learning layer's fidelity bound; non-private softmax measures 2·10^-4). With other seeds the twin
    /// lands far away (the noise is really there), and the DP model still classifies held-out digits (≥ 80%; the
    /// non-private one reaches ~96%). The DP program releases the model only.
    /// </summary>
    [Fact]
    public void SoftmaxOnDigitsMatchesItsTwinWithTheSameNoise()
    {
        PartyRows[] parties = Digits.Load();
        int d = parties[0].Columns;
        var privacy = new DpSgdSpec(1.0, 1.0, Enumerable.Repeat(0.0, d).ToArray(), Enumerable.Repeat(16.0, d).ToArray());
        var spec = new ProgramSpec(new ModelSpec(ModelKind.Softmax, d, 10, Array.Empty<int>()), Epochs: 2, BatchSize: 64, LearningRate: 0.5, Seed: 3, Privacy: privacy);
        Func<PartyNoise> seeds = () => new PartyNoise(Enumerable.Range(0, 3).ToDictionary(p => p, p => Seed.Reproducible(300 + p)()), 3, 1);
        using var mpc = new MpcEngine(parties.Length, reproducibleSeed: 4);
        var releases = new List<ProgramRelease>();
        using PartyNoise secureNoise = seeds();
        ProgramResult secure = SecretProgram.Run(mpc, parties.Select(p => p.Rows).ToArray(), d, i => parties[i], spec, new[] { 0 },
            released: releases.Add, noise: secureNoise);
        using PartyNoise twinNoise = seeds();
        ProgramResult twin = PlaintextProgram.Run(parties, spec, FunctionMode.Approximate, noise: twinNoise);
        ProgramResult other = PlaintextProgram.Run(parties, spec, FunctionMode.Approximate);
        double fidelity = secure.Weights.Zip(twin.Weights, (a, b) => Math.Abs(a - b)).Max();
        double apart = other.Weights.Zip(twin.Weights, (a, b) => Math.Abs(a - b)).Max();
        output.WriteLine($"max |dw| vs twin {fidelity:E2}; twin with other noise {apart:E2}; twin held out {twin.HeldOut!.Accuracy:P2}; rounds/step {secure.RoundsPerStep}");
        Assert.True(fidelity <= 0.01, $"max |dw| {fidelity}");
        Assert.True(apart > 10 * fidelity, $"other noise moves the model by {apart}, the same noise by {fidelity}");
        Assert.True(twin.HeldOut!.Accuracy >= 0.8, $"held-out accuracy {twin.HeldOut.Accuracy:P2}");
        Assert.Single(releases);
        Assert.Equal(Disclosure.Model, releases[0].Kind);
        Assert.Empty(secure.EpochLoss);
        Assert.Null(secure.Train.Accuracy);
        Assert.Null(secure.HeldOut!.Accuracy);
        // The bounds' midpoint and half-width stand in for the statistics: public numbers, not the data's.
        Assert.All(secure.Means, m => Assert.Equal(8.0, m));
        Assert.All(secure.StandardDeviations, s => Assert.Equal(8.0, s));
    }

    [Fact]
    public void ADpSpecWithoutBoundsForEveryFeatureIsRefused()
    {
        PartyRows[] parties = Digits.Load();
        int d = parties[0].Columns;
        var privacy = new DpSgdSpec(1.0, 1.0, new[] { 0.0 }, new[] { 16.0 });
        var spec = new ProgramSpec(new ModelSpec(ModelKind.Softmax, d, 10, Array.Empty<int>()), Epochs: 1, Privacy: privacy);
        using var mpc = new MpcEngine(parties.Length);
        var error = Assert.Throws<ArgumentException>(() => SecretProgram.Run(mpc, parties.Select(p => p.Rows).ToArray(), d, i => parties[i], spec, new[] { 0 }));
        Assert.Contains("public bounds", error.Message);
        Assert.Contains("public bounds", Assert.Throws<ArgumentException>(() => PlaintextProgram.Run(parties, spec, FunctionMode.Exact)).Message);
    }

    private static double Variance(double[] values)
    {
        double mean = values.Average();
        return values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1);
    }

    private static bool Close(double variance, double expected, int n) => Math.Abs(variance - expected) <= 5 * Math.Sqrt(2.0 / n) * expected + Math.Pow(2, -32);
}
