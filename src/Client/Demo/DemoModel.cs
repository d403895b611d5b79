using SecureCompute.Grains.Data;
using SecureCompute.Grains.Interfaces.Sessions;
using SecureCompute.Learning.Programs;

namespace SecureCompute.Client.Demo;

/// <summary>model.json of a trained program: a regression's weights by feature and its bias, a network's parameters by name and shape.</summary>
internal static class DemoModel
{
    /// <summary>The model file of <paramref name="weights"/>, the program's parameters flattened in order (<see cref="ProgramResult.Shapes"/>).</summary>
    /// <param name="schema">Feature and label names.</param>
    /// <param name="spec">The session.</param>
    /// <param name="secure">The secure run: its parameters' layout and the released standardisation.</param>
    /// <param name="weights">The parameters as one recipient received them.</param>
    public static object Of(PartyDataset schema, SessionSpec spec, ProgramResult secure, double[] weights)
    {
        int d = schema.Columns;
        if (!spec.Model.IsMultiClass())
        {
            // layer0.weight [d, 1] then layer0.bias [1, 1]: one weight per feature, in the features' order, then the bias.
            if (weights.Length != d + 1)
            {
                throw new InvalidOperationException($"A {spec.Model.Name()} model of {d} features has {d + 1} parameters, not {weights.Length}.");
            }
            return new ModelFile(spec.Model.Name(), schema.FeatureNames, schema.LabelName, weights[..d], weights[d], secure.Means, secure.StandardDeviations);
        }
        var parameters = new List<ModelParameter>();
        int offset = 0;
        foreach ((string name, long[] shape) in secure.Shapes)
        {
            int count = (int)shape.Aggregate(1L, (a, b) => a * b);
            parameters.Add(new ModelParameter(name, shape, weights[offset..(offset + count)]));
            offset += count;
        }
        return new NetworkModelFile(spec.Model.Name(), schema.FeatureNames, schema.LabelName, spec.Classes, secure.Means, secure.StandardDeviations, parameters);
    }
}
