using System.IO.Compression;
using System.Text;

namespace Aggregator.Nlp.Tagging;

/// <summary>
/// The two perceptron weight tables (first pass; second pass with document features) and their metadata.
/// File format (gzip-compressed): magic "AGNERMDL", int32 format version, int32 feature-template version,
/// string metadata (JSON), int32 vocabulary size and that many uint64 word hashes (ascending: words seen in lower
/// case in the training text), int32 table count, then per table: int32 rows, rows × uint64 keys (ascending),
/// rows × 13 × float16 weights.
/// </summary>
internal sealed class NerModel
{
    private static readonly byte[] Magic = "AGNERMDL"u8.ToArray();
    public const int FormatVersion = 2;

    public required WeightTable Pass1 { get; init; }
    public required WeightTable Pass2 { get; init; }
    public required string Metadata { get; init; }
    public required HashSet<ulong> LowerVocabulary { get; init; }

    public long MemoryBytes => Pass1.MemoryBytes + Pass2.MemoryBytes + LowerVocabulary.Count * 24L;

    public static byte[] Serialize(string metadata, IEnumerable<ulong> vocabulary, params (ulong[] Keys, float[] Weights)[] tables)
    {
        using var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.SmallestSize, leaveOpen: true))
        using (var w = new BinaryWriter(gz, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(Magic);
            w.Write(FormatVersion);
            w.Write(FeatureExtractor.Version);
            w.Write(metadata);
            var vocab = vocabulary.Distinct().Order().ToArray();
            w.Write(vocab.Length);
            foreach (var v in vocab) w.Write(v);
            w.Write(tables.Length);
            foreach (var (keys, weights) in tables)
            {
                var order = Enumerable.Range(0, keys.Length).ToArray();
                Array.Sort(keys.ToArray(), order);
                w.Write(keys.Length);
                foreach (int r in order) w.Write(keys[r]);
                foreach (int r in order)
                    for (int c = 0; c < Bilou.NumTags; c++) w.Write((Half)weights[r * Bilou.NumTags + c]);
            }
        }
        return ms.ToArray();
    }

    public static NerModel Deserialize(byte[] bytes)
    {
        using var gz = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
        using var buffered = new BufferedStream(gz, 1 << 16);
        using var r = new BinaryReader(buffered, Encoding.UTF8);
        var magic = r.ReadBytes(Magic.Length);
        if (!magic.AsSpan().SequenceEqual(Magic)) throw new InvalidDataException("not an NER model file");
        int format = r.ReadInt32();
        if (format != FormatVersion) throw new InvalidDataException($"unsupported NER model format {format}");
        int features = r.ReadInt32();
        if (features != FeatureExtractor.Version)
            throw new InvalidDataException($"NER model was trained with feature templates v{features}, code has v{FeatureExtractor.Version}: retrain");
        string metadata = r.ReadString();
        int vocabSize = r.ReadInt32();
        var vocabulary = new HashSet<ulong>(vocabSize);
        for (int i = 0; i < vocabSize; i++) vocabulary.Add(r.ReadUInt64());
        int count = r.ReadInt32();
        if (count != 2) throw new InvalidDataException("NER model must have two tables");
        var tables = new WeightTable[count];
        for (int t = 0; t < count; t++)
        {
            int rows = r.ReadInt32();
            var keys = new ulong[rows];
            for (int i = 0; i < rows; i++) keys[i] = r.ReadUInt64();
            var weights = new float[rows * Bilou.NumTags];
            for (int i = 0; i < weights.Length; i++) weights[i] = (float)r.ReadHalf();
            tables[t] = new WeightTable(keys, weights);
        }
        return new NerModel { Pass1 = tables[0], Pass2 = tables[1], Metadata = metadata, LowerVocabulary = vocabulary };
    }
}
