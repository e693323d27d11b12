using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Serverless.Host.Security;

/// <summary>
/// Validates Entra ID access tokens (JWT, RS256): signature against the tenant's published keys (from its
/// OpenID configuration), issuer, audience and lifetime.
/// </summary>
/// <remarks>
/// Written on the framework's own RSA and JSON because the JWT handler packages do not restore cleanly from
/// this repository's package source. Only RS256 is accepted (Entra's algorithm), which rules out <c>none</c>
/// and key-confusion attacks. Keys are cached for a day and refreshed at most every 5 minutes on an unknown <c>kid</c>.
/// </remarks>
internal sealed class EntraTokenValidator(EntraOptions options, HttpClient http, TimeProvider clock) : IDisposable
{
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private Dictionary<string, RSAParameters> _keys = [];
    private string? _issuer;
    private DateTimeOffset _fetched = DateTimeOffset.MinValue;

    public void Dispose()
    {
        _refresh.Dispose();
        http.Dispose();
    }

    /// <summary>Null when <paramref name="token"/> is valid, otherwise why not (safe to return to the caller).</summary>
    public async Task<string?> ValidateAsync(string token, CancellationToken cancellationToken)
    {
        var parts = token.Split('.');
        if (parts.Length != 3)
        {
            return "the bearer token is not a JWT (expected header.payload.signature)";
        }

        JsonElement header, payload;
        byte[] signature;
        try
        {
            header = JsonSerializer.Deserialize<JsonElement>(Base64Url(parts[0]));
            payload = JsonSerializer.Deserialize<JsonElement>(Base64Url(parts[1]));
            signature = Base64Url(parts[2]);
        }
        catch (Exception ex) when (ex is FormatException or JsonException)
        {
            return "the bearer token is not well-formed base64url JSON";
        }

        if (header.ValueKind != JsonValueKind.Object || payload.ValueKind != JsonValueKind.Object)
        {
            return "the bearer token's header or payload is not a JSON object";
        }

        if (!header.TryGetProperty("alg", out var alg) || alg.GetString() != "RS256")
        {
            return "the bearer token's algorithm must be RS256";
        }

        var kid = header.TryGetProperty("kid", out var k) ? k.GetString() : null;
        if (kid is null)
        {
            return "the bearer token has no key id (kid)";
        }

        if (!await EnsureKeyAsync(kid, cancellationToken) || !_keys.TryGetValue(kid, out var key))
        {
            return $"the bearer token's signing key '{kid}' is not published by the issuer";
        }

        using (var rsa = RSA.Create(key))
        {
            if (!rsa.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))
            {
                return "the bearer token's signature is invalid";
            }
        }

        if (!payload.TryGetProperty("iss", out var iss) || iss.GetString() != _issuer)
        {
            return $"the bearer token's issuer is not '{_issuer}'";
        }

        if (!HasAudience(payload))
        {
            return $"the bearer token's audience is not '{options.Audience}'";
        }

        var now = clock.GetUtcNow();
        if (!payload.TryGetProperty("exp", out var exp) || exp.ValueKind != JsonValueKind.Number ||
            DateTimeOffset.FromUnixTimeSeconds(exp.GetInt64()) + options.ClockSkew < now)
        {
            return "the bearer token has expired";
        }

        if (payload.TryGetProperty("nbf", out var nbf) && nbf.ValueKind == JsonValueKind.Number &&
            DateTimeOffset.FromUnixTimeSeconds(nbf.GetInt64()) - options.ClockSkew > now)
        {
            return "the bearer token is not valid yet";
        }

        return null;
    }

    private bool HasAudience(JsonElement payload)
    {
        if (!payload.TryGetProperty("aud", out var aud))
        {
            return false;
        }

        return aud.ValueKind switch
        {
            JsonValueKind.String => aud.GetString() == options.Audience,
            JsonValueKind.Array => aud.EnumerateArray().Any(a => a.ValueKind == JsonValueKind.String && a.GetString() == options.Audience),
            _ => false,
        };
    }

    private async Task<bool> EnsureKeyAsync(string kid, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var fresh = now - _fetched < TimeSpan.FromDays(1);
        if (fresh && (_keys.ContainsKey(kid) || now - _fetched < TimeSpan.FromMinutes(5)))
        {
            return true;
        }

        await _refresh.WaitAsync(cancellationToken);
        try
        {
            if (clock.GetUtcNow() - _fetched < TimeSpan.FromMinutes(5))
            {
                return true;
            }

            var metadata = await GetJsonAsync(options.ResolveMetadataAddress(), cancellationToken);
            var issuer = metadata.GetProperty("issuer").GetString()!.Replace("{tenantid}", options.TenantId, StringComparison.Ordinal);
            var jwksUri = new Uri(metadata.GetProperty("jwks_uri").GetString()!);
            var jwks = await GetJsonAsync(jwksUri, cancellationToken);
            var keys = new Dictionary<string, RSAParameters>(StringComparer.Ordinal);
            foreach (var jwk in jwks.GetProperty("keys").EnumerateArray())
            {
                if (jwk.TryGetProperty("kty", out var kty) && kty.GetString() == "RSA" &&
                    jwk.TryGetProperty("kid", out var id) && jwk.TryGetProperty("n", out var n) && jwk.TryGetProperty("e", out var e))
                {
                    keys[id.GetString()!] = new RSAParameters { Modulus = Base64Url(n.GetString()!), Exponent = Base64Url(e.GetString()!) };
                }
            }

            _keys = keys;
            _issuer = issuer;
            _fetched = clock.GetUtcNow();
            return true;
        }
        finally
        {
            _refresh.Release();
        }
    }

    private async Task<JsonElement> GetJsonAsync(Uri address, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(address, cancellationToken);
        response.EnsureSuccessStatusCode();
        return JsonSerializer.Deserialize<JsonElement>(await response.Content.ReadAsStringAsync(cancellationToken));
    }

    private static byte[] Base64Url(string text)
    {
        var s = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(s.PadRight(s.Length + ((4 - (s.Length % 4)) % 4), '='));
    }
}
