namespace Aggregator.Nlp.Tests;

/// <summary>Locations of repository files used by the tests.</summary>
internal static class TestPaths
{
    public static string RepoRoot { get; } = FindRoot();

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir != null && !File.Exists(Path.Combine(dir.FullName, "Directory.Build.props"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
    }

    public static string Fixtures => Path.Combine(AppContext.BaseDirectory, "Fixtures");
    public static string TestGazetteer => Path.Combine(Fixtures, "Dev", "test-gazetteer.tsv");
    public static string Corpus => Path.Combine(RepoRoot, "src", "Aggregator.Nlp", "Training", "Corpus");
    public static string Stories => Path.Combine(RepoRoot, "tests", "Aggregator.Nlp.Tests", "Fixtures", "Stories");
    public static string StoriesJsonl => Path.Combine(RepoRoot, "tests", "Aggregator.Nlp.Tests", "Fixtures", "stories.gold.jsonl");
    public static string Gazetteer => Path.Combine(RepoRoot, "src", "Aggregator.Nlp", "Resources", "gazetteer.tsv");
}
