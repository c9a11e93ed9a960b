using System.Security.Claims;
using Scoutflo.Http.Integrations;

namespace JiraConsumer.Demo;

/// <summary>
/// DEMO ONLY, in place of real authentication: this sample has no sign-in, so the "signed-in
/// user" is taken from the <c>X-Demo-User</c> header, or is <c>dana</c> when there is none (so
/// that a plain browser works). A real service signs its users in (cookies, OpenID Connect,
/// JWT bearer) and never lets a request choose its user or its account.
/// </summary>
internal static class DemoIdentity
{
    public const string UserHeader = "X-Demo-User";
    public const string DefaultUser = "dana";

    /// <summary>Which account each demo user belongs to. A real service reads this from its own user store.</summary>
    private static readonly Dictionary<string, string> Accounts = new(StringComparer.Ordinal)
    {
        ["dana"] = "acme",
        ["hank"] = "globex",
        ["milton"] = "initech",
    };

    /// <summary>DEMO ONLY: signs every request in as the header's user (or <see cref="DefaultUser"/>).</summary>
    public static IApplicationBuilder UseDemoSignIn(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            var user = context.Request.Headers[UserHeader].ToString() is { Length: > 0 } named ? named : DefaultUser;
            context.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, user)], authenticationType: "demo"));
            return next(context);
        });

    /// <summary>The account of a demo user; <see langword="null"/> for a user the demo does not know.</summary>
    public static string? AccountOf(string userId) => Accounts.GetValueOrDefault(userId);

    /// <summary>
    /// The library asks this for the account of the installing user. A real resolver looks the
    /// signed-in user up in the service's own database.
    /// </summary>
    internal sealed class Resolver : IIntegrationIdentityResolver
    {
        public ValueTask<IntegrationIdentity> ResolveAsync(IntegrationIdentityContext context, CancellationToken cancellationToken) =>
            AccountOf(context.UserId) is { } account
                ? ValueTask.FromResult(new IntegrationIdentity { AccountId = account, CreatedBy = context.UserId })
                : throw new IntegrationException("demo_user_unknown", "The signed-in user belongs to no account.");
    }
}
