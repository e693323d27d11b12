using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Serverless.FunctionsApp.Tests;

/// <summary>Crafts Entra-shaped JWTs (RS256) with a key of our own, and the OpenID documents that publish it.</summary>
public sealed class TestTokens : IDisposable
{
    public const string Tenant = "11111111-2222-3333-4444-555555555555";
    public const string Audience = "api://serverless-mlops";
    public const string Kid = "test-key-1";

    private readonly RSA _key = RSA.Create(2048);

    public static string Issuer => $"https://login.microsoftonline.com/{Tenant}/v2.0";

    public static string MetadataJson(Uri server) => JsonSerializer.Serialize(new
    {
        issuer = "https://login.microsoftonline.com/{tenantid}/v2.0",
        jwks_uri = new Uri(server, "keys").ToString(),
    });

    public string KeysJson()
    {
        var p = _key.ExportParameters(false);
        return JsonSerializer.Serialize(new { keys = new[] { new { kty = "RSA", use = "sig", kid = Kid, n = B64(p.Modulus!), e = B64(p.Exponent!) } } });
    }

    public string Create(string? audience = Audience, string? issuer = null, DateTimeOffset? expires = null, string alg = "RS256", string kid = Kid, RSA? signWith = null)
    {
        var header = B64(JsonSerializer.SerializeToUtf8Bytes(new { alg, typ = "JWT", kid }));
        var now = DateTimeOffset.UtcNow;
        var payload = B64(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object?>
        {
            ["iss"] = issuer ?? Issuer,
            ["aud"] = audience,
            ["sub"] = "user-1",
            ["nbf"] = now.AddMinutes(-1).ToUnixTimeSeconds(),
            ["exp"] = (expires ?? now.AddHours(1)).ToUnixTimeSeconds(),
        }));
        var signature = (signWith ?? _key).SignData(Encoding.ASCII.GetBytes(header + "." + payload), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return header + "." + payload + "." + B64(signature);
    }

    public void Dispose() => _key.Dispose();

    private static string B64(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
