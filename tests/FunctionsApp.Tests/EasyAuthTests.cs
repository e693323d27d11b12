using System.Net;
using System.Text;
using Serverless.Testing;

namespace Serverless.FunctionsApp.Tests;

/// <summary>Contract tests of the EasyAuth mode: the principal header App Service Authentication injects.</summary>
public sealed class EasyAuthTests : IAsyncLifetime, IDisposable
{
    private HostProcess _host = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _host = await HostProcess.StartCustomHandlerAsync(new Dictionary<string, string>
        {
            ["Serverless__Orchestration__TaskHubName"] = TestNames.Unique("fneasy"),
            ["Serverless__Orchestration__EnableWorkers"] = "false",
            ["Serverless__Auth__RequireEasyAuthPrincipal"] = "true",
        });
        _http = new HttpClient { BaseAddress = _host.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public void Dispose() => _http?.Dispose();

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task Requests_PrincipalHeader_OnlyWellFormedPrincipalServed()
    {
        const string path = "/api/2.0/mlflow/experiments/search?max_results=1";
        var principal = Convert.ToBase64String(Encoding.UTF8.GetBytes(
            """{"auth_typ":"aad","claims":[{"typ":"http://schemas.microsoft.com/identity/claims/objectidentifier","val":"00000000-0000-0000-0000-000000000001"}],"name_typ":"name","role_typ":"roles"}"""));

        using var anonymous = await _http.GetAsync(path);
        using var garbage = await SendAsync(path, "not-base64!");
        using var noClaims = await SendAsync(path, Convert.ToBase64String(Encoding.UTF8.GetBytes("""{"auth_typ":"aad","claims":[]}""")));
        using var valid = await SendAsync(path, principal);
        using var health = await _http.GetAsync("/health");

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, garbage.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, noClaims.StatusCode);
        Assert.Equal(HttpStatusCode.OK, valid.StatusCode);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    private Task<HttpResponseMessage> SendAsync(string path, string header)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.TryAddWithoutValidation("X-MS-CLIENT-PRINCIPAL", header);
        return _http.SendAsync(request);
    }
}
