namespace Aggregator.Storage;

/// <summary>Configuration section "Storage".</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>"Sqlite" (the embedded default).</summary>
    public string Provider { get; set; } = "Sqlite";
    public SqliteSettings Sqlite { get; set; } = new();

    public sealed class SqliteSettings
    {
        public string Path { get; set; } = "data/aggregator.db";
    }
}
