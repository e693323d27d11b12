namespace Serverless.Host;

/// <summary>Chooses the address the host listens on.</summary>
internal static class HostAddress
{
    /// <summary>The local default, matching the Azure Functions host's own default port.</summary>
    public const string Default = "http://127.0.0.1:7071";

    /// <summary>
    /// <c>FUNCTIONS_CUSTOMHANDLER_PORT</c> when the Functions host runs us as a custom handler,
    /// otherwise <c>--urls</c> / <c>ASPNETCORE_URLS</c>, otherwise loopback port 7071.
    /// </summary>
    public static string Resolve(IConfiguration configuration)
    {
        if (Environment.GetEnvironmentVariable("FUNCTIONS_CUSTOMHANDLER_PORT") is { Length: > 0 } port)
        {
            return $"http://127.0.0.1:{port}";
        }

        return configuration["urls"] is { Length: > 0 } urls ? urls : Default;
    }
}
