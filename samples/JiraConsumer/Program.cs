using JiraConsumer;
using JiraConsumer.Demo;

// `dotnet run` walks the whole lifecycle once against the embedded Atlassian sandbox and
// exits; `dotnet run -- --serve` keeps the service running (sandbox, or real Atlassian when
// configured; see README.md).
var serve = args.Contains("--serve");
var appArgs = args.Where(a => a is not "--serve" and not "--demo").ToArray();

await using var app = ConsumerApp.Build(appArgs, serve ? null : $"http://127.0.0.1:{LoopbackPort.Free()}");
if (serve)
{
    await app.RunAsync();
    return 0;
}

await app.StartAsync();
var succeeded = await LifecycleDemo.RunAsync(app, Console.Out);
await app.StopAsync();
return succeeded ? 0 : 1;
