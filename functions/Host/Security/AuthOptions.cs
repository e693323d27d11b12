namespace Serverless.Host.Security;

/// <summary>
/// Optional checks in the handler on top of the function keys the Functions host enforces
/// (section <c>Serverless:Auth</c>). Locally nothing is required: the host binds loopback only.
/// </summary>
public sealed class AuthOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "Serverless:Auth";

    /// <summary>Entra ID bearer validation; off unless <see cref="EntraOptions.Audience"/> is set.</summary>
    public EntraOptions Entra { get; set; } = new();

    /// <summary>
    /// Require the principal that App Service Authentication (EasyAuth) injects (<c>X-MS-CLIENT-PRINCIPAL</c>).
    /// Only meaningful with EasyAuth switched on for the app, which strips that header from client requests.
    /// </summary>
    public bool RequireEasyAuthPrincipal { get; set; }
}
