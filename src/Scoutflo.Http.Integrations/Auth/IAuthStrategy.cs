namespace Scoutflo.Http.Integrations;

/// <summary>
/// One way of authenticating (<see cref="AuthType"/>): checks a record's credentials when a
/// connection is created and makes the <see cref="ICredentialApplier"/> used for its requests.
/// Register more with <c>services.AddSingleton&lt;IAuthStrategy, MyStrategy&gt;()</c>.
/// </summary>
public interface IAuthStrategy
{
    /// <summary>The <see cref="Integration.AuthType"/> this strategy serves.</summary>
    string AuthType { get; }

    /// <summary>Throws an <see cref="IntegrationException"/> when the record lacks what this strategy needs.</summary>
    /// <param name="integration">The record.</param>
    /// <param name="provider">The provider's facts (default header names, mapped credentials).</param>
    void Validate(Integration integration, ProviderProfile provider);

    /// <summary>Makes the applier for one resolved connection.</summary>
    /// <param name="integration">The record.</param>
    /// <param name="provider">The provider's facts.</param>
    ICredentialApplier CreateApplier(Integration integration, ProviderProfile provider);
}
