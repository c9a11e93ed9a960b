namespace Scoutflo.Http.Integrations;

/// <summary>The Atlassian facts of a resolved connection, read from its <see cref="ResolvedConnection.Properties"/>.</summary>
public static class AtlassianResolvedConnectionExtensions
{
    /// <param name="connection">The resolved connection.</param>
    extension(ResolvedConnection connection)
    {
        /// <summary>The Atlassian cloud id, when the connection has one.</summary>
        public string? CloudId => connection.Properties.GetValueOrDefault(IntegrationMetadataKeys.CloudId);

        /// <summary>The Atlassian site URL, when the connection has one.</summary>
        public string? SiteUrl => connection.Properties.GetValueOrDefault(IntegrationMetadataKeys.SiteUrl);

        /// <summary>The Atlassian site name, when the connection has one.</summary>
        public string? SiteName => connection.Properties.GetValueOrDefault(IntegrationMetadataKeys.SiteName);
    }
}
