namespace Serverless.Host.Security;

/// <summary>Which Entra ID tokens the API accepts.</summary>
public sealed class EntraOptions
{
    /// <summary>The accepted <c>aud</c>: the API's application id URI or client id. Setting it switches validation on.</summary>
    public string? Audience { get; set; }

    /// <summary>The tenant id; the issuer must be this tenant's v2.0 issuer.</summary>
    public string? TenantId { get; set; }

    /// <summary>The authority host.</summary>
    public Uri Instance { get; set; } = new("https://login.microsoftonline.com/");

    /// <summary>OpenID configuration document; derived from <see cref="Instance"/> and <see cref="TenantId"/> when not set.</summary>
    public Uri? MetadataAddress { get; set; }

    /// <summary>Allowed clock difference for <c>exp</c> and <c>nbf</c>.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Whether validation is on.</summary>
    public bool Enabled => !string.IsNullOrWhiteSpace(Audience);

    /// <summary>The metadata document's address.</summary>
    /// <exception cref="InvalidOperationException">Neither a metadata address nor a tenant is configured.</exception>
    public Uri ResolveMetadataAddress()
    {
        if (MetadataAddress is { } explicitAddress)
        {
            // Keys fetched over plain HTTP could be swapped in transit; only a loopback test server may use it.
            if (explicitAddress.Scheme != Uri.UriSchemeHttps && !explicitAddress.IsLoopback)
            {
                throw new InvalidOperationException($"Serverless:Auth:Entra:MetadataAddress '{explicitAddress}' must use https.");
            }

            return explicitAddress;
        }

        if (string.IsNullOrWhiteSpace(TenantId))
        {
            throw new InvalidOperationException("Serverless:Auth:Entra:TenantId is required when Serverless:Auth:Entra:Audience is set.");
        }

        return new Uri(Instance, $"{TenantId}/v2.0/.well-known/openid-configuration");
    }
}
