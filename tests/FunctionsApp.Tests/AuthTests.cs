using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Serverless.Host.Functions;
using Serverless.Testing;

namespace Serverless.FunctionsApp.Tests;

/// <summary>A host under the Functions host with Entra validation on, against a loopback stand-in for the tenant's OpenID endpoints.</summary>
public sealed class EntraFixture : IAsyncLifetime
{
    public TestTokens Tokens { get; } = new();

    public LoopbackServer Issuer { get; } = new();

    public HostProcess Host { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Issuer.Serve("/metadata", TestTokens.MetadataJson(Issuer.BaseAddress));
        Issuer.Serve("/keys", Tokens.KeysJson());
        Host = await HostProcess.StartCustomHandlerAsync(new Dictionary<string, string>
        {
            ["Serverless__Orchestration__TaskHubName"] = TestNames.Unique("fnauth"),
            ["Serverless__Orchestration__EnableWorkers"] = "false",
            ["Serverless__Functions__MaxHold"] = "00:00:01",
            ["Serverless__Auth__Entra__Audience"] = TestTokens.Audience,
            ["Serverless__Auth__Entra__TenantId"] = TestTokens.Tenant,
            ["Serverless__Auth__Entra__MetadataAddress"] = new Uri(Issuer.BaseAddress, "metadata").ToString(),
        });
        Http = new HttpClient { BaseAddress = Host.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Host.DisposeAsync();
        Issuer.Dispose();
        Tokens.Dispose();
    }
}

public sealed class AuthTests(EntraFixture fixture) : IClassFixture<EntraFixture>
{
    private const string Protected = "/runtime/webhooks/durabletask/instances";

    [Fact]
    public async Task Request_NoToken_Refused401WithReason()
    {
        using var response = await fixture.Http.GetAsync(Protected);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("Bearer", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("UNAUTHENTICATED", body.GetProperty("error_code").GetString());
        Assert.Contains("bearer token is required", body.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Request_ValidToken_Served()
    {
        using var response = await SendAsync(Protected, fixture.Tokens.Create());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Request_TokenForAnotherAudience_Refused()
    {
        using var response = await SendAsync(Protected, fixture.Tokens.Create(audience: "api://someone-else"));

        await AssertRefusedAsync(response, "audience");
    }

    [Fact]
    public async Task Request_TokenFromAnotherTenant_Refused()
    {
        using var response = await SendAsync(Protected, fixture.Tokens.Create(issuer: "https://login.microsoftonline.com/99999999-0000-0000-0000-000000000000/v2.0"));

        await AssertRefusedAsync(response, "issuer");
    }

    [Fact]
    public async Task Request_ExpiredToken_Refused()
    {
        using var response = await SendAsync(Protected, fixture.Tokens.Create(expires: DateTimeOffset.UtcNow.AddHours(-1)));

        await AssertRefusedAsync(response, "expired");
    }

    [Fact]
    public async Task Request_TokenSignedWithAnotherKey_Refused()
    {
        using var other = RSA.Create(2048);
        using var response = await SendAsync(Protected, fixture.Tokens.Create(signWith: other));

        await AssertRefusedAsync(response, "signature");
    }

    [Fact]
    public async Task Request_UnsignedAlgNoneToken_Refused()
    {
        var token = fixture.Tokens.Create(alg: "none");
        using var response = await SendAsync(Protected, token[..(token.LastIndexOf('.') + 1)]);

        await AssertRefusedAsync(response, "RS256");
    }

    [Fact]
    public async Task Request_UnknownKeyId_Refused()
    {
        using var response = await SendAsync(Protected, fixture.Tokens.Create(kid: "not-published"));

        await AssertRefusedAsync(response, "not-published");
    }

    [Fact]
    public async Task Health_NoToken_StaysAnonymous()
    {
        using var response = await fixture.Http.GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task TriggerInvocation_NoToken_ServedForTheFunctionsHost()
    {
        using var response = await fixture.Http.PostAsync("/" + FunctionCatalog.EngineTick,
            new StringContent("""{"Data":{"timer":{}},"Metadata":{}}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private Task<HttpResponseMessage> SendAsync(string path, string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return fixture.Http.SendAsync(request);
    }

    private static async Task AssertRefusedAsync(HttpResponseMessage response, string reason)
    {
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var message = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("message").GetString()!;
        Assert.Contains(reason, message, StringComparison.Ordinal);
    }
}
