using Azure;
using Serverless.Storage;

namespace Serverless.Host.Hosting;

/// <summary>
/// Checks at startup that the storage account answers. Without it a host whose storage is down (a
/// stopped Azurite, a wrong endpoint, a blocked network) starts and then waits silently on the SDK's
/// retries and the engine's polling; with it, the host exits at once and says which endpoint failed.
/// </summary>
internal static class StorageProbe
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(20);

    /// <summary>
    /// Returns null when every service answered (any HTTP answer counts: an authorization error is
    /// reported by the call that meets it, with its own message), else a one-line problem.
    /// </summary>
    public static async Task<string?> FindProblemAsync(StorageClients storage)
    {
        using var timeout = new CancellationTokenSource(s_timeout);
        var checks = new (string Service, Uri Endpoint, Func<CancellationToken, Task> Call)[]
        {
            ("table", storage.Tables.Uri, async ct => { await foreach (var _ in storage.Tables.QueryAsync(maxPerPage: 1, cancellationToken: ct).AsPages(pageSizeHint: 1)) { break; } }),
            ("queue", storage.Queues.Uri, async ct => { await foreach (var _ in storage.Queues.GetQueuesAsync(cancellationToken: ct).AsPages(pageSizeHint: 1)) { break; } }),
            ("blob", storage.Blobs.Uri, async ct => { await foreach (var _ in storage.Blobs.GetBlobContainersAsync(cancellationToken: ct).AsPages(pageSizeHint: 1)) { break; } }),
        };
        var results = await Task.WhenAll(checks.Select(async c =>
        {
            try
            {
                // A plain connect first: it fails in milliseconds where the SDK would retry for many seconds.
                using (var tcp = new System.Net.Sockets.TcpClient())
                {
                    await tcp.ConnectAsync(c.Endpoint.Host, c.Endpoint.Port, timeout.Token);
                }

                await c.Call(timeout.Token);
                return null;
            }
            catch (RequestFailedException ex) when (ex.Status != 0)
            {
                return null;
            }
            catch (Exception ex) when (ex is RequestFailedException or OperationCanceledException or HttpRequestException or AggregateException or System.Net.Sockets.SocketException)
            {
                var why = ex is OperationCanceledException ? $"no answer within {s_timeout.TotalSeconds:0} s" : FirstLine(Innermost(ex).Message);
                return $"{c.Service} service at {c.Endpoint} is unreachable ({why})";
            }
        }));
        var problems = results.Where(r => r is not null).ToList();
        return problems.Count == 0 ? null : string.Join("; ", problems);
    }

    private static Exception Innermost(Exception ex)
    {
        while (ex.InnerException is { } inner)
        {
            ex = inner;
        }

        return ex;
    }

    private static string FirstLine(string text)
    {
        var end = text.IndexOfAny(['\r', '\n']);
        return end < 0 ? text : text[..end];
    }
}
