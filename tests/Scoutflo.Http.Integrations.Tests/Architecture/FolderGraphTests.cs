using System.Text.RegularExpressions;
using Scoutflo.Http.Integrations.Tests.TestSupport;

namespace Scoutflo.Http.Integrations.Tests.Architecture;

/// <summary>
/// The folders of src/Scoutflo.Http.Integrations depend on each other one way (issue 15). The
/// graph is read from the sources: an edge A -> B when a file under A names a top-level type
/// declared under B (only names declared in one folder count) or imports B's namespace.
/// </summary>
public partial class FolderGraphTests
{
    private static readonly string[] CoreFolders =
    [
        "Model", "Caching", "Connections", "Resolution", "OAuth", "Http", "Auth", "KeepAlive", "Events", "Install", "Health", "Storage", "Telemetry", "Errors", "Providers", "DependencyInjection",
    ];

    [Fact]
    public void CoreFolders_NoCycle()
    {
        var graph = FolderGraph.Read(RepositoryPaths.CoreSources);
        var cycles = CoreFolders.Select(start => FindCycle(graph, start)).OfType<string>().Distinct().ToList();
        Assert.True(cycles.Count == 0, "Folder cycles: " + string.Join("; ", cycles) + Describe(graph));
    }

    [Fact]
    public void CoreFolders_NeverDependOnAProviderFolder()
    {
        var graph = FolderGraph.Read(RepositoryPaths.CoreSources);
        var wrong = graph.Edges
            .Where(e => CoreFolders.Contains(e.Key.From) && e.Key.To.StartsWith("Providers/", StringComparison.Ordinal))
            .Select(e => $"{e.Key.From} -> {e.Key.To} ({string.Join(", ", e.Value)})")
            .ToList();
        Assert.True(wrong.Count == 0, "Core folders naming a provider's folder: " + string.Join("; ", wrong));
    }

    [Theory]
    [InlineData("Connections", "OAuth")]   // token cleanup on delete lives in OAuth, told through IConnectionDeletionObserver
    [InlineData("OAuth", "Http")]          // ICredentialReapplier went down to Auth
    [InlineData("OAuth", "KeepAlive")]     // keep-alive's pass lives in KeepAlive
    [InlineData("OAuth", "Storage")]       // OAuth asks for IProcessLocalStore, not an in-memory type
    [InlineData("Auth", "Connections")]    // the record types the strategies read live in Model
    [InlineData("Connections", "Providers")] // resolution (which consults providers) sits above, in Resolution
    public void RemovedEdges_StayGone(string from, string to)
    {
        var graph = FolderGraph.Read(RepositoryPaths.CoreSources);
        Assert.False(graph.Edges.ContainsKey((from, to)), Witness(graph, from, to));
    }

    [Fact]
    public void CoreFolders_NameNoShippedProvider()
    {
        // Provider behaviour is chosen through the contract (IIntegrationProvider, IOAuthProvider),
        // never by comparing a record's provider with a name: a provider-specific branch in the
        // core would not follow a provider added from its own folder. The names themselves stay
        // public (Model/IntegrationProviders.cs, the storage contract's values).
        var root = RepositoryPaths.CoreSources;
        var named = Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
            .Where(f => !IsBuildOutput(root, f))
            .Select(f => (File: Path.GetRelativePath(root, f).Replace('\\', '/'), Text: File.ReadAllText(f)))
            .Where(f => !f.File.StartsWith("Providers/", StringComparison.Ordinal) || f.File.Count(c => c == '/') == 1)
            .Where(f => f.File != "Model/IntegrationProviders.cs")
            .Where(f => ShippedProviderName().IsMatch(f.Text))
            .Select(f => f.File)
            .ToList();
        Assert.True(named.Count == 0, "Core files that branch on a shipped provider's name: " + string.Join(", ", named));
    }

    [Fact]
    public void FolderGraph_ReadsTypeReferencesAndUsings_SoACycleIsSeen()
    {
        // The reader itself: a made-up tree with a cycle through a type reference and a using.
        var root = Directory.CreateTempSubdirectory("folder-graph-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(root, "A"));
            Directory.CreateDirectory(Path.Combine(root, "B", "Internal"));
            File.WriteAllText(Path.Combine(root, "A", "Alpha.cs"), "namespace X;\n\ninternal sealed class Alpha\n{\n    private Beta? _b; // Gamma in a comment does not count\n    private sealed class Nested { }\n}\n");
            File.WriteAllText(Path.Combine(root, "B", "Internal", "Beta.cs"), "using Scoutflo.Http.Integrations.A.Internal;\n\nnamespace X;\n\ninternal sealed class Beta\n{\n    private string _s = \"Alpha\";\n}\n");
            var graph = FolderGraph.Read(root);
            Assert.Equal(["Beta"], graph.Edges[("A", "B")]);
            Assert.Equal(["using Scoutflo.Http.Integrations.A"], graph.Edges[("B", "A")]);
            Assert.Equal("A -> B -> A", FindCycle(graph, "A"));
            Assert.Null(FindCycle(Without(graph, [("B", "A")]), "A"));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static bool IsBuildOutput(string root, string file)
    {
        var relative = Path.GetRelativePath(root, file).Replace('\\', '/');
        return relative.StartsWith("bin/", StringComparison.Ordinal) || relative.StartsWith("obj/", StringComparison.Ordinal);
    }

    [GeneratedRegex(@"IntegrationProviders\.(Jira|Jsm|Confluence|Slack|Sentry|IsAtlassian)\b")]
    private static partial Regex ShippedProviderName();

    private static FolderGraph Without(FolderGraph graph, IEnumerable<(string From, string To)> edges)
    {
        var removed = edges.ToHashSet();
        return new FolderGraph(graph.Edges.Where(e => !removed.Contains(e.Key)).ToDictionary(e => e.Key, e => e.Value));
    }

    private static string? FindCycle(FolderGraph graph, string start)
    {
        // Depth-first from start; the first path that comes back to start is the cycle.
        var path = new List<string> { start };
        return Walk(start);

        string? Walk(string node)
        {
            foreach (var next in graph.Edges.Keys.Where(e => e.From == node).Select(e => e.To).Order(StringComparer.Ordinal))
            {
                if (next == start)
                {
                    return string.Join(" -> ", path.Append(start));
                }

                if (path.Contains(next))
                {
                    continue;
                }

                path.Add(next);
                if (Walk(next) is { } found)
                {
                    return found;
                }

                path.RemoveAt(path.Count - 1);
            }

            return null;
        }
    }

    private static string Witness(FolderGraph graph, string from, string to) =>
        graph.Edges.TryGetValue((from, to), out var names) ? $"{from} -> {to} through {string.Join(", ", names)}" : $"{from} -> {to}: none";

    private static string Describe(FolderGraph graph) =>
        Environment.NewLine + string.Join(Environment.NewLine, graph.Edges.OrderBy(e => e.Key.From, StringComparer.Ordinal).ThenBy(e => e.Key.To, StringComparer.Ordinal)
            .Select(e => $"  {e.Key.From} -> {e.Key.To}: {string.Join(", ", e.Value)}"));

    /// <summary>Folder to folder edges, each with the names (types or usings) that make it.</summary>
    internal sealed partial record FolderGraph(Dictionary<(string From, string To), string[]> Edges)
    {
        public static FolderGraph Read(string sourceRoot)
        {
            var files = Directory.EnumerateFiles(sourceRoot, "*.cs", SearchOption.AllDirectories)
                .Select(path => (Folder: FolderOf(sourceRoot, path), Text: StripCommentsAndStrings(File.ReadAllText(path))))
                .Where(f => f.Folder is not null)
                .ToList();

            // File-scoped namespaces: a top-level type starts its line; nested ones are indented.
            var declaredIn = files
                .SelectMany(f => TopLevelType().Matches(f.Text).Select(m => (Name: m.Groups["name"].Value, f.Folder)))
                .GroupBy(d => d.Name, StringComparer.Ordinal)
                .Where(g => g.Select(d => d.Folder).Distinct().Count() == 1)
                .ToDictionary(g => g.Key, g => g.First().Folder!, StringComparer.Ordinal);

            var edges = new Dictionary<(string, string), SortedSet<string>>();
            foreach (var (folder, text) in files)
            {
                foreach (Match name in Identifier().Matches(text))
                {
                    if (declaredIn.TryGetValue(name.Value, out var target) && target != folder)
                    {
                        Add(edges, folder!, target, name.Value);
                    }
                }

                foreach (Match import in UsingDirective().Matches(text))
                {
                    var target = import.Groups["folder"].Value;
                    if (target == "Providers" && import.Groups["sub"].Success && import.Groups["sub"].Value != "Internal")
                    {
                        target += "/" + import.Groups["sub"].Value;
                    }

                    if (target != folder)
                    {
                        Add(edges, folder!, target, "using Scoutflo.Http.Integrations." + target.Replace('/', '.'));
                    }
                }
            }

            return new FolderGraph(edges.ToDictionary(e => e.Key, e => e.Value.ToArray()));
        }

        private static void Add(Dictionary<(string, string), SortedSet<string>> edges, string from, string to, string witness)
        {
            if (!edges.TryGetValue((from, to), out var names))
            {
                edges[(from, to)] = names = new SortedSet<string>(StringComparer.Ordinal);
            }

            names.Add(witness);
        }

        // Providers/Slack and the like are folders of their own; the files at the root are in none.
        private static string? FolderOf(string root, string path)
        {
            var parts = Path.GetRelativePath(root, path).Split(Path.DirectorySeparatorChar);
            if (parts.Length < 2 || parts[0] is "obj" or "bin")
            {
                return null;
            }

            return parts[0] == "Providers" && parts.Length > 2 ? "Providers/" + parts[1] : parts[0];
        }

        // Strings first, so that a URL's "//" is not taken for a comment.
        private static string StripCommentsAndStrings(string text) =>
            LineComment().Replace(BlockComment().Replace(StringLiteral().Replace(text, "\"\""), string.Empty), string.Empty);

        [GeneratedRegex(@"^(?:(?:public|internal|private|protected|file|static|sealed|abstract|partial|readonly|ref)\s+)*(?:class|interface|record\s+struct|record|struct|enum)\s+(?<name>[A-Z]\w*)", RegexOptions.Multiline)]
        private static partial Regex TopLevelType();

        [GeneratedRegex(@"\b[A-Z]\w*\b")]
        private static partial Regex Identifier();

        [GeneratedRegex(@"^using\s+(?:static\s+)?Scoutflo\.Http\.Integrations\.(?<folder>[A-Za-z]+)(?:\.(?<sub>[A-Za-z]+))?", RegexOptions.Multiline)]
        private static partial Regex UsingDirective();

        [GeneratedRegex(@"//[^\n]*")]
        private static partial Regex LineComment();

        [GeneratedRegex(@"/\*.*?\*/", RegexOptions.Singleline)]
        private static partial Regex BlockComment();

        [GeneratedRegex(@"@?\$?""(?:\\.|[^""\\\n])*""")]
        private static partial Regex StringLiteral();
    }
}
