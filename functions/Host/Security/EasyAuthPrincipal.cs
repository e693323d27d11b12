using System.Text;
using System.Text.Json;

namespace Serverless.Host.Security;

/// <summary>Reads the principal App Service Authentication puts in <c>X-MS-CLIENT-PRINCIPAL</c> (base64 JSON with <c>auth_typ</c> and <c>claims</c>).</summary>
internal static class EasyAuthPrincipal
{
    public const string Header = "X-MS-CLIENT-PRINCIPAL";

    /// <summary>Null when the header holds a usable principal, otherwise what is wrong with it.</summary>
    public static string? Check(string? header)
    {
        if (string.IsNullOrWhiteSpace(header))
        {
            return $"no {Header} header: the request did not pass App Service Authentication";
        }

        try
        {
            var principal = JsonSerializer.Deserialize<JsonElement>(Encoding.UTF8.GetString(Convert.FromBase64String(header)));
            if (principal.ValueKind != JsonValueKind.Object ||
                !principal.TryGetProperty("auth_typ", out var type) || string.IsNullOrWhiteSpace(type.GetString()) ||
                !principal.TryGetProperty("claims", out var claims) || claims.ValueKind != JsonValueKind.Array || claims.GetArrayLength() == 0)
            {
                return $"the {Header} header has no auth_typ or no claims";
            }

            return null;
        }
        catch (Exception ex) when (ex is FormatException or JsonException or InvalidOperationException)
        {
            return $"the {Header} header is not base64-encoded JSON";
        }
    }
}
