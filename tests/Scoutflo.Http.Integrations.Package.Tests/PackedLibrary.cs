using System.Diagnostics;
using System.IO.Compression;

namespace Scoutflo.Http.Integrations.Package.Tests;

/// <summary>
/// Every packable project under src/ packed once for the test class, as CI packs it: from a clone
/// of this repository whose origin is the public GitHub URL (so SourceLink maps the sources to it),
/// with CI=true (ContinuousIntegrationBuild: no local paths), to a temporary feed. Uncommitted
/// changes of the working tree are copied into the clone, so the test sees what the developer has.
/// </summary>
public sealed class PackedLibrary : IAsyncLifetime
{
    public const string RepositoryUrl = "https://github.com/scoutflo/scoutflo-http-integrations";

    public PackedLibrary()
    {
        RepositoryRoot = FindRepositoryRoot();
        Version = $"0.0.0-smoke.{DateTime.UtcNow:yyyyMMddHHmmss}.{Environment.ProcessId}";
    }

    /// <summary>The working tree under test (the folder of Scoutflo.Http.sln).</summary>
    public string RepositoryRoot { get; }

    /// <summary>A version no real build has, so nothing cached can stand in for the package under test.</summary>
    public string Version { get; }

    /// <summary>A temporary folder, deleted at the end: the clone, the feed, the consumer, its package cache.</summary>
    public string WorkDirectory { get; private set; } = null!;

    public string Feed => Path.Combine(WorkDirectory, "feed");

    public string Clone => Path.Combine(WorkDirectory, "repo");

    /// <summary>The commit the clone is at: SourceLink and the nuspec's repository element name it.</summary>
    public string Commit { get; private set; } = null!;

    /// <summary>The package ids packed, one per src/*/*.csproj that is packable.</summary>
    public IReadOnlyList<string> PackageIds { get; private set; } = [];

    public TimeSpan PackTime { get; private set; }

    public async Task InitializeAsync()
    {
        WorkDirectory = Directory.CreateTempSubdirectory("scoutflo-package-").FullName;
        var clock = Stopwatch.StartNew();

        await ProcessRunner.RunAsync("git", ["clone", "--quiet", "--no-checkout", RepositoryRoot, Clone], WorkDirectory);
        Commit = (await ProcessRunner.RunAsync("git", ["rev-parse", "HEAD"], RepositoryRoot)).Trim();
        await ProcessRunner.RunAsync("git", ["checkout", "--quiet", "--detach", Commit], Clone);
        await CopyUncommittedChangesAsync();
        await ProcessRunner.RunAsync("git", ["remote", "set-url", "origin", RepositoryUrl], Clone);

        var projects = Directory.GetDirectories(Path.Combine(Clone, "src"))
            .SelectMany(d => Directory.GetFiles(d, "*.csproj"))
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.NotEmpty(projects);
        foreach (var project in projects)
        {
            await ProcessRunner.RunAsync(
                "dotnet",
                ["pack", project, "-c", "Release", "-o", Feed, $"-p:Version={Version}", "-nodeReuse:false", "-v:q"],
                Clone,
                new Dictionary<string, string?> { ["CI"] = "true" });
        }

        PackageIds = Directory.GetFiles(Feed, "*.nupkg")
            .Select(f => Path.GetFileName(f)[..^$".{Version}.nupkg".Length])
            .Order(StringComparer.Ordinal)
            .ToList();
        PackTime = clock.Elapsed;
    }

    public Task DisposeAsync()
    {
        try
        {
            Directory.Delete(WorkDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A build server may still hold a file for a moment; the OS cleans its temp folder.
        }
        catch (UnauthorizedAccessException)
        {
            // Same: read-only git objects on some systems; the OS cleans its temp folder.
        }

        return Task.CompletedTask;
    }

    public string PackagePath(string id) => Path.Combine(Feed, $"{id}.{Version}.nupkg");

    public string SymbolPackagePath(string id) => Path.Combine(Feed, $"{id}.{Version}.snupkg");

    /// <summary>The bytes of one entry of a package (a zip), or fails naming the entries there are.</summary>
    public static byte[] ReadEntry(string package, string entryPath)
    {
        using var zip = ZipFile.OpenRead(package);
        var entry = zip.GetEntry(entryPath)
            ?? throw new Xunit.Sdk.XunitException($"{Path.GetFileName(package)} has no '{entryPath}'; it has: {string.Join(", ", zip.Entries.Select(e => e.FullName))}");
        using var stream = entry.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private async Task CopyUncommittedChangesAsync()
    {
        var changed = await ProcessRunner.RunAsync("git", ["ls-files", "-z", "--modified", "--others", "--exclude-standard"], RepositoryRoot);
        foreach (var path in changed.Split('\0', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Trim('\r', '\n')).Where(p => p.Length > 0))
        {
            var source = Path.Combine(RepositoryRoot, path);
            var target = Path.Combine(Clone, path);
            if (File.Exists(source))
            {
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(source, target, overwrite: true);
            }
            else if (File.Exists(target))
            {
                File.Delete(target);
            }
        }
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Scoutflo.Http.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No Scoutflo.Http.sln above {AppContext.BaseDirectory}: the package tests run from the repository's build output.");
    }
}
