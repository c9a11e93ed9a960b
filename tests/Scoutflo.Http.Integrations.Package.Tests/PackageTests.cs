using System.Diagnostics;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Scoutflo.Http.Integrations.Fakes.Atlassian;
using Xunit.Abstractions;

namespace Scoutflo.Http.Integrations.Package.Tests;

/// <summary>
/// The packages as a team adopting the library gets them: the README's quick start compiled and
/// run against the package (not the project), and what the packages carry (SourceLink, no local
/// paths, readme, license and repository metadata).
/// </summary>
public sealed partial class PackageTests(PackedLibrary packed, ITestOutputHelper output) : IClassFixture<PackedLibrary>
{
    private const string CorePackage = "Scoutflo.Http.Integrations";

    // The portable PDB's SourceLink record (https://github.com/dotnet/runtime/blob/main/docs/design/specs/PortablePdb-Metadata.md).
    private static readonly Guid SourceLinkKind = new("CC110556-A091-4D38-9FEC-25AB9A351A6A");

    [Fact]
    public async Task QuickStart_FromThePackage_BuildsAndCallsJiraThroughTheFakes()
    {
        var mongo = RequiredServer("SCOUTFLO_TEST_MONGODB");
        var redis = RequiredServer("SCOUTFLO_TEST_REDIS");
        var quickStart = QuickStartBlock(await File.ReadAllTextAsync(Path.Combine(packed.RepositoryRoot, "README.md")));
        var integrationId = JiraClientId().Match(quickStart) is { Success: true } named
            ? named.Groups[1].Value
            : throw new Xunit.Sdk.XunitException("The README's quick start registers no AddJiraClient(\"<24-hex id>\"): the smoke test runs that client.");

        var consumer = Path.Combine(packed.WorkDirectory, "consumer");
        var template = Path.Combine(packed.RepositoryRoot, "tests", "Scoutflo.Http.Integrations.Package.Tests", "ConsumerTemplate");
        Directory.CreateDirectory(consumer);
        foreach (var file in Directory.GetFiles(template))
        {
            File.Copy(file, Path.Combine(consumer, Path.GetFileName(file)));
        }

        var harness = (await File.ReadAllTextAsync(Path.Combine(template, "Harness.cs.txt"))).Replace("{{IntegrationId}}", integrationId, StringComparison.Ordinal);
        var firstType = FirstTypeDeclaration().Match(quickStart);
        var program = firstType.Success
            ? string.Concat(quickStart.AsSpan(0, firstType.Index), harness, "\n", quickStart.AsSpan(firstType.Index))
            : quickStart + "\n" + harness;
        await File.WriteAllTextAsync(Path.Combine(consumer, "Program.cs"), program);
        await File.WriteAllTextAsync(Path.Combine(consumer, "Packages.props"), new XDocument(new XElement("Project",
            new XElement("ItemGroup", packed.PackageIds.Select(id => new XElement("PackageReference", new XAttribute("Include", id), new XAttribute("Version", packed.Version)))))).ToString());

        // The temporary feed first, then the machine's usual sources; packages restore into a
        // cache of their own (the machine's cache only read, as a fallback), so the test version
        // never lands in the machine's cache.
        await File.WriteAllTextAsync(Path.Combine(consumer, "nuget.config"), new XDocument(new XElement("configuration",
            new XElement("packageSources", new XElement("add", new XAttribute("key", "scoutflo-smoke-feed"), new XAttribute("value", packed.Feed))),
            new XElement("fallbackPackageFolders", new XElement("add", new XAttribute("key", "machine-cache"), new XAttribute("value", MachinePackageCache()))))).ToString());

        var clock = Stopwatch.StartNew();
        await ProcessRunner.RunAsync("dotnet", ["build", consumer, "-c", "Release", "-nodeReuse:false", "-v:q"], consumer,
            new Dictionary<string, string?> { ["NUGET_PACKAGES"] = Path.Combine(packed.WorkDirectory, "packages") });
        var buildTime = clock.Elapsed;
        Assert.Contains(Directory.GetDirectories(Path.Combine(packed.WorkDirectory, "packages")), d => Path.GetFileName(d) == CorePackage.ToLowerInvariant());

        using var atlassian = new AtlassianFake();
        clock.Restart();
        var printed = await ProcessRunner.RunAsync("dotnet", [Path.Combine(consumer, "bin", "Release", "net10.0", "SmokeConsumer.dll")], consumer, new Dictionary<string, string?>
        {
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["ASPNETCORE_URLS"] = "http://127.0.0.1:0",
            ["Atlassian__ClientId"] = atlassian.ClientId,
            ["Atlassian__ClientSecret"] = atlassian.ClientSecret,
            ["Atlassian__RedirectUri"] = "http://127.0.0.1:9/integrations/callback",
            ["Atlassian__AuthorizeEndpoint"] = atlassian.AuthorizeEndpoint.AbsoluteUri,
            ["Atlassian__TokenEndpoint"] = atlassian.TokenEndpoint.AbsoluteUri,
            ["Atlassian__ApiBaseUrl"] = atlassian.ApiBaseUrl.AbsoluteUri,
            ["MongoDb__ConnectionString"] = mongo,
            ["MongoDb__DatabaseName"] = $"smoke_{Guid.NewGuid():N}",
            ["Redis__Configuration"] = redis,
            ["ScoutfloIntegrations__StateSigningKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        });
        var runTime = clock.Elapsed;
        output.WriteLine($"pack (clone, {packed.PackageIds.Count} packages, CI=true): {packed.PackTime.TotalSeconds:F1} s; consumer restore+build: {buildTime.TotalSeconds:F1} s; run: {runTime.TotalSeconds:F1} s");

        Assert.Contains("scoutflo-smoke: the quick start ran", printed, StringComparison.Ordinal);
        var cloudId = atlassian.Sites[0].Id;
        var calls = atlassian.ApiRequests;
        var myself = Assert.Single(calls, r => r.Path == $"/ex/jira/{cloudId}/rest/api/3/myself");
        Assert.StartsWith("Bearer ", myself.Headers["Authorization"], StringComparison.Ordinal);
        Assert.Contains(calls, r => r.Path == $"/ex/jira/{cloudId}/rest/api/3/search/jql");
        Assert.Contains(calls, r => r.Path == $"/ex/jira/{cloudId}/rest/api/3/project");
        Assert.Equal(1, atlassian.CodeExchangeCalls);
    }

    [Fact]
    public void SymbolPackages_Pdb_MapsTheSourcesToTheRepositoryCommit()
    {
        foreach (var id in packed.PackageIds)
        {
            using var pdb = MetadataReaderProvider.FromPortablePdbImage([.. PackedLibrary.ReadEntry(packed.SymbolPackagePath(id), $"lib/net10.0/{id}.pdb")]);
            var reader = pdb.GetMetadataReader();

            var sourceLink = reader.CustomDebugInformation
                .Select(reader.GetCustomDebugInformation)
                .Where(c => reader.GetGuid(c.Kind) == SourceLinkKind)
                .Select(c => reader.GetBlobBytes(c.Value))
                .SingleOrDefault() ?? throw new Xunit.Sdk.XunitException($"{id}.pdb has no SourceLink record.");
            using var json = JsonDocument.Parse(sourceLink);
            var mappings = json.RootElement.GetProperty("documents").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString());
            Assert.Equal($"https://raw.githubusercontent.com/scoutflo/scoutflo-http-integrations/{packed.Commit}/*", Assert.Contains("/_/*", mappings));

            var documents = reader.Documents.Select(d => reader.GetString(reader.GetDocument(d).Name)).ToList();
            Assert.Contains(documents, d => d.StartsWith($"/_/src/{id}/", StringComparison.Ordinal));
            Assert.All(documents, d => Assert.StartsWith("/_/", d, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Binaries_BuiltUnderCI_CarryNoLocalPath()
    {
        foreach (var id in packed.PackageIds)
        {
            var dll = PackedLibrary.ReadEntry(packed.PackagePath(id), $"lib/net10.0/{id}.dll");
            var pdb = PackedLibrary.ReadEntry(packed.SymbolPackagePath(id), $"lib/net10.0/{id}.pdb");
            string[] local = ["/work/", "/tmp/", "/root/", "/home/", packed.WorkDirectory, packed.RepositoryRoot];
            foreach (var (name, bytes) in new[] { ($"{id}.dll", dll), ($"{id}.pdb", pdb) })
            {
                foreach (var path in local)
                {
                    Assert.False(Contains(bytes, Encoding.UTF8.GetBytes(path)), $"{name} contains the local path '{path}' (UTF-8).");
                    Assert.False(Contains(bytes, Encoding.Unicode.GetBytes(path)), $"{name} contains the local path '{path}' (UTF-16).");
                }
            }

            using var pe = new PEReader(new MemoryStream(dll));
            var codeView = pe.ReadCodeViewDebugDirectoryData(pe.ReadDebugDirectory().Single(e => e.Type == DebugDirectoryEntryType.CodeView));
            Assert.StartsWith("/_/", codeView.Path, StringComparison.Ordinal);
            Assert.Contains(pe.ReadDebugDirectory(), e => e.Type == DebugDirectoryEntryType.Reproducible);
        }
    }

    [Fact]
    public void Packages_Nuspec_HasReadmeLicenseAndRepository()
    {
        Assert.Contains(CorePackage, packed.PackageIds);
        foreach (var id in packed.PackageIds)
        {
            var package = packed.PackagePath(id);
            var nuspec = XDocument.Load(new MemoryStream(PackedLibrary.ReadEntry(package, $"{id}.nuspec")));
            var metadata = nuspec.Root!.Elements().Single(e => e.Name.LocalName == "metadata");
            string? Value(string name) => metadata.Elements().SingleOrDefault(e => e.Name.LocalName == name)?.Value;
            XElement Element(string name) => metadata.Elements().SingleOrDefault(e => e.Name.LocalName == name)
                ?? throw new Xunit.Sdk.XunitException($"{id}.nuspec has no <{name}>.");

            Assert.Equal(packed.Version, Value("version"));
            Assert.False(string.IsNullOrWhiteSpace(Value("description")), $"{id} has no description.");
            Assert.Equal(PackedLibrary.RepositoryUrl, Value("projectUrl"));
            var license = Element("license");
            Assert.Equal(("expression", "MIT"), ((string?)license.Attribute("type"), license.Value));
            var repository = Element("repository");
            Assert.Equal(("git", PackedLibrary.RepositoryUrl, packed.Commit), ((string?)repository.Attribute("type"), (string?)repository.Attribute("url"), (string?)repository.Attribute("commit")));

            var readme = Value("readme") ?? throw new Xunit.Sdk.XunitException($"{id}.nuspec names no readme.");
            var text = Encoding.UTF8.GetString(PackedLibrary.ReadEntry(package, readme));
            Assert.Contains(id, text, StringComparison.Ordinal);
            Assert.DoesNotContain("./test.sh", text, StringComparison.Ordinal); // written for package users, not contributors
        }
    }

    private static string RequiredServer(string variable) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{variable} is not set: the consumer smoke test runs the README's quick start against MongoDB and Redis. Run ./test.sh (it starts both) or set {variable}.");

    private static string MachinePackageCache() =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    /// <summary>The first C# block under "## Quick start", exactly as the README shows it.</summary>
    private static string QuickStartBlock(string readme)
    {
        var section = readme.IndexOf("\n## Quick start", StringComparison.Ordinal);
        Assert.True(section >= 0, "README.md has no '## Quick start' section.");
        var block = CSharpBlock().Match(readme, section);
        Assert.True(block.Success, "README.md's quick start has no ```csharp block.");
        return block.Groups[1].Value;
    }

    private static bool Contains(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;

    [GeneratedRegex(@"```csharp\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();

    [GeneratedRegex(@"AddJiraClient\(""([0-9a-f]{24})""\)")]
    private static partial Regex JiraClientId();

    // Top-level statements come before the first type: the harness goes between them.
    [GeneratedRegex(@"^(?:(?:public|internal|sealed|static|abstract|partial|file)\s+)*(?:class|record|struct|interface)\s", RegexOptions.Multiline)]
    private static partial Regex FirstTypeDeclaration();
}
