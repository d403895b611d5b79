using SecureCompute.Grains.Data;

namespace SecureCompute.Grains.Tests;

public sealed class CsvDatasetTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("securecompute-csv-").FullName;

    [Fact]
    public void LoadsFeaturesAndLabelByName()
    {
        string path = Write("a.csv", "x1,label,x2\n1,0,2.5\n-3e2,1,4\n");
        PartyDataset data = CsvDataset.Load(path, "label");
        Assert.Equal(new[] { "x1", "x2" }, data.FeatureNames);
        Assert.Equal(new[] { 1, 2.5, -300, 4 }, data.Features);
        Assert.Equal(new[] { 0.0, 1.0 }, data.Labels);
        Assert.DoesNotContain("2.5", data.ToString());
    }

    [Theory]
    [InlineData("x,y\n1,2\n3\n", 3, null, "1 cells where the header has 2")]
    [InlineData("x,y\n1,2\nabc-secret,4\n", 3, "x", "not a number")]
    [InlineData("x,y\n1,NaN\n", 2, "y", "NaN or infinite")]
    [InlineData("x,y\n1,Infinity\n", 2, "y", "NaN or infinite")]
    [InlineData("x,y\n1,\n", 2, "y", "empty")]
    [InlineData("x,y\n", 2, null, "no data rows")]
    [InlineData("", 1, null, "empty")]
    [InlineData("x,x,y\n1,2,3\n", 1, "x", "appears twice")]
    public void BadFilesNameFileRowAndColumnButNoValue(string content, int row, string? column, string problem)
    {
        string path = Write("bad.csv", content);
        var error = Assert.Throws<DatasetException>(() => CsvDataset.Load(path));
        Assert.Equal(row, error.Row);
        Assert.Equal(column, error.Column);
        Assert.Contains(path, error.Message);
        Assert.Contains($"row {row}", error.Message);
        Assert.Contains(problem, error.Message);
        Assert.DoesNotContain("secret", error.Message);
    }

    [Fact]
    public void MissingLabelAndUnreadableFile()
    {
        string path = Write("a.csv", "x,y\n1,2\n");
        Assert.Contains("no label column 'z'", Assert.Throws<DatasetException>(() => CsvDataset.Load(path, "z")).Message);
        string missing = Path.Combine(folder, "missing.csv");
        var error = Assert.Throws<DatasetException>(() => CsvDataset.Load(missing));
        Assert.Contains("cannot be read", error.Message);
        Assert.Contains(missing, error.Message);
    }

    [Fact]
    public void SchemasMustMatchByNameAndOrder()
    {
        PartyDataset a = CsvDataset.Load(Write("a.csv", "x,y,label\n1,2,0\n"));
        PartyDataset b = CsvDataset.Load(Write("b.csv", "y,x,label\n1,2,0\n"));
        PartyDataset c = CsvDataset.Load(Write("c.csv", "x,label\n1,0\n"));
        var swapped = Assert.Throws<DatasetException>(() => PartySchemas.RequireSame(new[] { a, b }));
        Assert.Contains("a.csv", swapped.Message);
        Assert.Contains("b.csv", swapped.Message);
        Assert.Equal("y", swapped.Column);
        Assert.Contains("1 features where", Assert.Throws<DatasetException>(() => PartySchemas.RequireSame(new[] { a, c })).Message);
        Assert.Throws<ArgumentException>(() => PartySchemas.RequireSame(new[] { a }));
        PartySchemas.RequireSame(new[] { a, a });
    }

    [Fact]
    public void ShippedDataSetsLoad()
    {
        var cancer = RepositoryData.Load("breast-cancer", "benign");
        Assert.Equal(3, cancer.Count);
        Assert.Equal(569, cancer.Sum(p => p.Rows));
        Assert.All(cancer, p => Assert.Equal(30, p.Columns));
        var diabetes = RepositoryData.Load("diabetes", "progression");
        Assert.Equal(442, diabetes.Sum(p => p.Rows));
        PartySchemas.RequireSame(cancer);
        PartySchemas.RequireSame(diabetes);
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private string Write(string name, string content)
    {
        string path = Path.Combine(folder, name);
        File.WriteAllText(path, content);
        return path;
    }
}
