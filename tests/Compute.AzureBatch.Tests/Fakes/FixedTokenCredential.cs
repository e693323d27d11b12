using System.Collections.Concurrent;
using Azure.Core;

namespace Serverless.Compute.AzureBatch.Tests.Fakes;

/// <summary>Stands in for Entra ID, which cannot run here: a fixed token, and the scopes asked for.</summary>
internal sealed class FixedTokenCredential : TokenCredential
{
    public const string Token = "test-token-7f3a";

    public ConcurrentQueue<string[]> RequestedScopes { get; } = new();

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        RequestedScopes.Enqueue(requestContext.Scopes);
        return new AccessToken(Token, DateTimeOffset.UtcNow.AddHours(1));
    }

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        new(GetToken(requestContext, cancellationToken));
}
