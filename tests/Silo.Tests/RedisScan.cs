using System.Text.RegularExpressions;
using SecureCompute.Grains.Data;
using SecureCompute.Mpc.Encoding;
using StackExchange.Redis;

namespace SecureCompute.Silo.Tests;

/// <summary>
/// Reads every key and value in a Redis server and checks that none holds a data value or a share in the clear:
/// not as text (a cell of the parties' files as written), not as a fixed-point word, and — inside the raw bytes and
/// inside every base64 run (how serializers write byte arrays) — not as the 8 bytes of any given share element.
/// </summary>
internal static partial class RedisScan
{
    public static async Task AssertNoDataAndNoShareAsync(string connection, IReadOnlyList<string> parties, IEnumerable<long[]> shares)
    {
        List<byte[]> stored = await ReadAllAsync(connection);
        Assert.NotEmpty(stored);
        var cells = new HashSet<string>();
        var words = new HashSet<long>();
        foreach (string party in parties)
        {
            string file = RepositoryPaths.Data("breast-cancer", party);
            foreach (string line in File.ReadLines(file).Skip(1))
            {
                cells.UnionWith(line.Split(',').Where(c => c.Contains('.') && c.Count(char.IsAsciiDigit) >= 4));
            }
            words.UnionWith(CsvDataset.Load(file, "benign").Features.Select(v => FixedPointFormat.Default.Encode(v)).Where(w => Math.Abs(w) > 1 << 20));
        }
        var shareWords = new HashSet<long>(shares.SelectMany(s => s).Where(w => w != 0));
        words.UnionWith(shareWords);
        foreach (byte[] value in stored)
        {
            string text = System.Text.Encoding.UTF8.GetString(value);
            Assert.DoesNotContain(Number().Matches(text), m => cells.Contains(m.Value));
            foreach (byte[] bytes in Base64Runs(text).Append(value))
            {
                for (int i = 0; i + 8 <= bytes.Length; i++)
                {
                    Assert.False(words.Contains(BitConverter.ToInt64(bytes, i)), "a stored value holds a data word or a share element in the clear");
                }
            }
        }
    }

    public static async Task<List<byte[]>> ReadAllAsync(string connection)
    {
        using ConnectionMultiplexer redis = await ConnectionMultiplexer.ConnectAsync(connection + ",allowAdmin=true");
        IServer server = redis.GetServer(redis.GetEndPoints()[0]);
        IDatabase db = redis.GetDatabase();
        var stored = new List<byte[]>();
        await foreach (RedisKey key in server.KeysAsync(pattern: "*"))
        {
            stored.Add((byte[])key!);
            switch (await db.KeyTypeAsync(key))
            {
                case RedisType.Hash:
                    stored.AddRange((await db.HashGetAllAsync(key)).SelectMany(e => new[] { (byte[])e.Name!, (byte[])e.Value! }));
                    break;
                case RedisType.String:
                    stored.Add((byte[])(await db.StringGetAsync(key))!);
                    break;
                case RedisType.List:
                    stored.AddRange((await db.ListRangeAsync(key)).Select(v => (byte[])v!));
                    break;
                case RedisType.Set:
                    stored.AddRange((await db.SetMembersAsync(key)).Select(v => (byte[])v!));
                    break;
                case RedisType.SortedSet:
                    stored.AddRange((await db.SortedSetRangeByRankAsync(key)).Select(v => (byte[])v!));
                    break;
            }
        }
        return stored;
    }

    private static IEnumerable<byte[]> Base64Runs(string text)
    {
        foreach (Match run in Base64().Matches(text))
        {
            string s = run.Value[..(run.Value.Length / 4 * 4)];
            byte[]? decoded = null;
            try
            {
                decoded = Convert.FromBase64String(s);
            }
            catch (FormatException)
            {
            }
            if (decoded is not null)
            {
                yield return decoded;
            }
        }
    }

    [GeneratedRegex(@"-?\d+(\.\d+)?")]
    private static partial Regex Number();

    [GeneratedRegex(@"[A-Za-z0-9+/]{16,}={0,2}")]
    private static partial Regex Base64();
}
