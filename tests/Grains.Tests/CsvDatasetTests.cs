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
    [InlineData("x,y\n1,2\n3,4,5\n", 3, null, "3 cells where the header has 2")]
    [InlineData("x,y\r\n1,2\r\n3\r\n", 3, null, "1 cells where the header has 2")]
    [InlineData("x,y\n1,2\n\"secret,5\",4\n", 3, "x", "not a number")]
    [InlineData("x,y\n1,2\n\"se\"\"cret\",4\n", 3, "x", "not a number")]
    [InlineData("x,y\n\"1\n2\",3\n", 2, "x", "spans lines")]
    [InlineData("x,y\n1,\"2\n3,secret\n", 2, "y", "is a quote unmatched?")]
    [InlineData("\"x\ny\",z\n1,2\n3,secret\n", 4, "z", "not a number")]
    [InlineData("x,y\n\"a\nb\",2\n3,4,5\n", 2, "x", "spans lines")]
    [InlineData("x,y\n1,\"\"\n", 2, "y", "empty")]
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
    public void QuotedCellsFollowRfc4180()
    {
        string path = Write("q.csv", "\"x, first\",\"the \"\"label\"\"\", \"x2\" \n\" 1.5 \",\"0\",\"-2\"\n3,1,4\n");
        PartyDataset data = CsvDataset.Load(path, "the \"label\"");
        Assert.Equal(new[] { "x, first", "x2" }, data.FeatureNames);
        Assert.Equal("the \"label\"", data.LabelName);
        Assert.Equal(new[] { 1.5, -2, 3, 4 }, data.Features);
        Assert.Equal(new[] { 0.0, 1.0 }, data.Labels);
    }

    [Fact]
    public void QuotedCommaIsOneCellNotARaggedRow()
    {
        var error = Assert.Throws<DatasetException>(() => CsvDataset.Load(Write("c.csv", "x,y\n1,2\n\"3,5\",4\n")));
        Assert.Equal(3, error.Row);
        Assert.Equal("x", error.Column);
        Assert.Contains("row 3, column 'x': the cell is not a number", error.Message);
    }

    [Theory]
    [InlineData("x,label\r\n1,0\r\n2.5,1\r\n")]
    [InlineData("x,label\n1,0\n2.5,1\n\n")]
    [InlineData("x,label\r\n1,0\r\n\r\n2.5,1\r\n\r\n")]
    [InlineData("x,label\n1,0\n2.5,1")]
    [InlineData("x,label\n1,0\n  \n2.5,1\n   \n")]
    public void LineEndingsAndBlankLines(string content)
    {
        PartyDataset data = CsvDataset.Load(Write("e.csv", content));
        Assert.Equal(new[] { "x" }, data.FeatureNames);
        Assert.Equal(new[] { 1, 2.5 }, data.Features);
        Assert.Equal(new[] { 0.0, 1.0 }, data.Labels);
    }

    [Fact]
    public void RowNumbersAreTheLinesWhereRowsStart()
    {
        string path = Write("r.csv", "x,y\r\n1,2\r\n\r\n3,4\r\n5,secret\r\n");
        var error = Assert.Throws<DatasetException>(() => CsvDataset.Load(path));
        Assert.Equal(5, error.Row);
        Assert.Equal("y", error.Column);
    }

    [Fact]
    public void OutOfRangeValuesNameTheLineOfTheirRow()
    {
        string path = Write("big.csv", "x,y\n1,2\n\n\"3\",\"4\"\n\"a\nb\",1\n");
        var quoted = Assert.Throws<DatasetException>(() => CsvDataset.Load(path));
        Assert.Equal(5, quoted.Row);
        PartyDataset data = CsvDataset.Load(Write("big.csv", "x,z,y\n1,0,2\n\n\"3\",0,\"4\"\n\n5,0,1e300\n"));
        var error = Assert.Throws<DatasetException>(() => data.RequireWithin(1e6));
        Assert.Equal(6, error.Row);
        Assert.Equal("y", error.Column);
        Assert.Equal(6, Assert.Throws<DatasetException>(() => data.WithColumns(new[] { "z", "x" }).RequireWithin(1e6)).Row);
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

    [Fact]
    public void ShippedDigitsLoadWithTenClasses()
    {
        var digits = RepositoryData.Load("digits", "digit");
        Assert.Equal(3, digits.Count);
        Assert.Equal(1797, digits.Sum(p => p.Rows));
        Assert.Equal(new[] { 599, 599, 599 }, digits.Select(p => p.Rows));
        Assert.All(digits, p => Assert.Equal(64, p.Columns));
        Assert.Equal("pixel_0_0", digits[0].FeatureNames[0]);
        Assert.Equal("pixel_7_7", digits[0].FeatureNames[^1]);
        PartySchemas.RequireSame(digits);
        double[] labels = digits.SelectMany(p => p.Labels).ToArray();
        Assert.All(labels, l => Assert.True(l == Math.Floor(l) && l is >= 0 and <= 9, $"label {l} is not a digit"));
        Assert.Equal(Enumerable.Range(0, 10).Select(d => (double)d), labels.Distinct().Order());
        Assert.All(digits.SelectMany(p => p.Features), v => Assert.True(v == Math.Floor(v) && v is >= 0 and <= 16, $"pixel {v} is outside 0..16"));
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private string Write(string name, string content)
    {
        string path = Path.Combine(folder, name);
        File.WriteAllText(path, content);
        return path;
    }
}
