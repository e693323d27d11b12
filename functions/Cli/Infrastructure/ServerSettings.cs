namespace Serverless.Cli.Infrastructure;

/// <summary>Where the platform is and how to authenticate: <c>--server</c> or the <c>SMLOPS_*</c> variables.</summary>
/// <param name="BaseAddress">The platform's base address, ending in a slash.</param>
/// <param name="Token">Bearer token (<c>SMLOPS_TOKEN</c>), or null.</param>
/// <param name="FunctionKey">Azure Functions key (<c>SMLOPS_FUNCTION_KEY</c>), sent as <c>x-functions-key</c>, or null.</param>
internal sealed record ServerSettings(Uri BaseAddress, string? Token, string? FunctionKey)
{
    /// <summary>The address used when neither <c>--server</c> nor <c>SMLOPS_SERVER</c> is given.</summary>
    public const string DefaultServer = "http://127.0.0.1:7071";

    /// <summary>Environment variable naming the server.</summary>
    public const string ServerVariable = "SMLOPS_SERVER";

    /// <summary>Environment variable holding a bearer token.</summary>
    public const string TokenVariable = "SMLOPS_TOKEN";

    /// <summary>Environment variable holding the Functions host key.</summary>
    public const string FunctionKeyVariable = "SMLOPS_FUNCTION_KEY";

    /// <summary>Resolves the settings: the option wins over the environment, which wins over the default.</summary>
    /// <exception cref="CliException">The server address is not an absolute http(s) URI.</exception>
    public static ServerSettings Resolve(string? serverOption, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var fromOption = !string.IsNullOrWhiteSpace(serverOption);
        var raw = fromOption ? serverOption! : environment(ServerVariable);
        var source = fromOption ? "--server" : ServerVariable;
        if (string.IsNullOrWhiteSpace(raw))
        {
            raw = DefaultServer;
            source = "the default server";
        }

        if (!Uri.TryCreate(raw.Trim(), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new CliException($"{source}: '{raw}' is not an http(s) address such as {DefaultServer}", ExitCodes.Usage);
        }

        return new ServerSettings(
            new Uri(uri.AbsoluteUri.TrimEnd('/') + "/"),
            NullIfEmpty(environment(TokenVariable)),
            NullIfEmpty(environment(FunctionKeyVariable)));
    }

    /// <summary>An HTTP client sending the credentials on every request.</summary>
    public HttpClient CreateHttpClient(TimeSpan? timeout = null)
    {
        var http = new HttpClient { Timeout = timeout ?? TimeSpan.FromSeconds(100) };
        if (Token is not null)
        {
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Token);
        }

        if (FunctionKey is not null)
        {
            http.DefaultRequestHeaders.Add("x-functions-key", FunctionKey);
        }

        http.DefaultRequestHeaders.UserAgent.ParseAdd("smlops/1.0");
        return http;
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
