namespace Scoutflo.Http.Integrations.Tests.TestSupport;

/// <summary>The repository's folders, found above the test binaries, for tests that read the sources or the README.</summary>
internal static class RepositoryPaths
{
    /// <summary>The folder holding <c>Scoutflo.Http.sln</c>.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The core package's sources: <c>src/Scoutflo.Http.Integrations</c>.</summary>
    public static string CoreSources => Path.Combine(Root, "src", "Scoutflo.Http.Integrations");

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Scoutflo.Http.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (Scoutflo.Http.sln) was not found above " + AppContext.BaseDirectory);
    }
}
