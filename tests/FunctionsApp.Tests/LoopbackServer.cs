using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Serverless.Testing;

namespace Serverless.FunctionsApp.Tests;

/// <summary>
/// A minimal HTTP server on 127.0.0.1: records every request body by path (an OTLP/HTTP receiver) and
/// answers GETs from a table of canned JSON documents (an OpenID configuration and its keys).
/// </summary>
public sealed class LoopbackServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<(string Path, byte[] Body)> _received = new();
    private readonly ConcurrentDictionary<string, string> _documents = new(StringComparer.Ordinal);
    private readonly Task _loop;

    public LoopbackServer()
    {
        Port = LoopbackPorts.GetFree();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public int Port { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}/");

    /// <summary>Serves <paramref name="json"/> at <paramref name="path"/>.</summary>
    public void Serve(string path, string json) => _documents[path] = json;

    /// <summary>Bodies received at <paramref name="path"/>, decoded as Latin-1 so protobuf strings can be searched.</summary>
    public IEnumerable<string> Bodies(string path) =>
        _received.Where(r => r.Path == path).Select(r => Encoding.Latin1.GetString(r.Body));

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(2));
        }
        catch (AggregateException)
        {
            // The listener throws when stopped; that ends the loop.
        }
    }

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            var path = context.Request.Url!.AbsolutePath;
            using (var body = new MemoryStream())
            {
                await context.Request.InputStream.CopyToAsync(body);
                _received.Enqueue((path, body.ToArray()));
            }

            if (context.Request.HttpMethod == "GET" && _documents.TryGetValue(path, out var json))
            {
                var bytes = Encoding.UTF8.GetBytes(json);
                context.Response.ContentType = "application/json";
                await context.Response.OutputStream.WriteAsync(bytes);
            }
            else if (context.Request.HttpMethod == "GET")
            {
                context.Response.StatusCode = 404;
            }

            context.Response.Close();
        }
    }
}
