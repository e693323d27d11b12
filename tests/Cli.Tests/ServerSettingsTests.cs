using System.Net;
using System.Text;
using Serverless.Cli.Infrastructure;

namespace Serverless.Cli.Tests;

public class ServerSettingsTests
{
    [Fact]
    public void Resolve_OptionBeatsEnvironmentBeatsDefault()
    {
        var env = new Dictionary<string, string?> { ["SMLOPS_SERVER"] = "http://127.0.0.1:9000", ["SMLOPS_TOKEN"] = " t0k ", ["SMLOPS_FUNCTION_KEY"] = "" };

        var fromOption = ServerSettings.Resolve("https://ml.example/base/", k => env.GetValueOrDefault(k));
        var fromEnv = ServerSettings.Resolve(null, k => env.GetValueOrDefault(k));
        var fallback = ServerSettings.Resolve(null, _ => null);

        Assert.Equal("https://ml.example/base/", fromOption.BaseAddress.AbsoluteUri);
        Assert.Equal("http://127.0.0.1:9000/", fromEnv.BaseAddress.AbsoluteUri);
        Assert.Equal("t0k", fromEnv.Token);
        Assert.Null(fromEnv.FunctionKey);
        Assert.Equal("http://127.0.0.1:7071/", fallback.BaseAddress.AbsoluteUri);
    }

    [Fact]
    public void Resolve_NotHttp_UsageErrorNamingTheSource()
    {
        var e = Assert.Throws<CliException>(() => ServerSettings.Resolve(null, k => k == "SMLOPS_SERVER" ? "ftp://x" : null));

        Assert.Equal("SMLOPS_SERVER: 'ftp://x' is not an http(s) address such as http://127.0.0.1:7071", e.Message);
        Assert.Equal(ExitCodes.Usage, e.ExitCode);
    }

    [Fact]
    public void CreateHttpClient_SendsBearerAndFunctionKey()
    {
        using var http = new ServerSettings(new Uri("http://127.0.0.1:1/"), "abc", "key1").CreateHttpClient();

        Assert.Equal("Bearer abc", http.DefaultRequestHeaders.Authorization?.ToString());
        Assert.Equal(["key1"], http.DefaultRequestHeaders.GetValues("x-functions-key"));
    }

    [Fact]
    public void ToError_PlatformErrorWithDiagnostics_OneLinePlusDetailLines()
    {
        var body = """{"error":{"code":"INVALID_ARGUMENT","message":"pipeline.yaml is invalid","details":[{"file":"pipeline.yaml","line":3,"column":5,"message":"bad"},"plain"]}}""";

        var e = PlatformClient.ToError(HttpMethod.Put, "api/pipelines/x/package", HttpStatusCode.BadRequest, Encoding.UTF8.GetBytes(body));

        Assert.Equal("INVALID_ARGUMENT: pipeline.yaml is invalid", e.Message);
        Assert.Equal(["pipeline.yaml:3:5: bad", "plain"], e.Details);
    }

    [Fact]
    public void ToError_NotThePlatformShape_NamesRouteAndStatus()
    {
        var missing = PlatformClient.ToError(HttpMethod.Get, "api/schedules?pipeline=x", HttpStatusCode.NotFound, []);
        var html = PlatformClient.ToError(HttpMethod.Get, "api/runs", HttpStatusCode.BadGateway, Encoding.UTF8.GetBytes("<html>\nbad gateway</html>"));
        var auth = PlatformClient.ToError(HttpMethod.Get, "api/runs", HttpStatusCode.Unauthorized, []);

        Assert.Equal("the server has no endpoint GET api/schedules (HTTP 404): is it an smlops host with this API?", missing.Message);
        Assert.Equal("GET api/runs failed with HTTP 502: <html> bad gateway</html>", html.Message);
        Assert.StartsWith("GET api/runs was refused (HTTP 401): set SMLOPS_TOKEN", auth.Message, StringComparison.Ordinal);
    }
}
