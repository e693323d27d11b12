using System.Text.Json;
using System.Text.Json.Nodes;

namespace Serverless.Host.Functions;

/// <summary>Writes the catalog as the Functions host expects it: one folder per function with its <c>function.json</c>.</summary>
public static class FunctionFolderWriter
{
    /// <summary>The storage connection the triggers use: the host's own, identity-based in Azure (<c>AzureWebJobsStorage__accountName</c>).</summary>
    public const string Connection = "AzureWebJobsStorage";

    private static readonly JsonSerializerOptions s_indented = new() { WriteIndented = true };

    /// <summary>Writes every function's folder under <paramref name="root"/> and returns the folder names.</summary>
    public static IReadOnlyList<string> Write(FunctionCatalog catalog, string root)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var written = new List<string>();
        foreach (var (name, json) in Render(catalog))
        {
            var dir = Path.Combine(root, name);
            Directory.CreateDirectory(dir);
            File.WriteAllText(Path.Combine(dir, "function.json"), json.ToJsonString(s_indented) + "\n");
            written.Add(name);
        }

        return written;
    }

    /// <summary>The <c>function.json</c> document of every function, by folder name.</summary>
    public static IEnumerable<(string Name, JsonObject Json)> Render(FunctionCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        foreach (var f in catalog.Http)
        {
            // With enableProxyingHttpRequest the host forwards the request as is, so "res" is a plain http output.
            yield return (f.Name, Bindings(
                new JsonObject
                {
                    ["type"] = "httpTrigger",
                    ["direction"] = "in",
                    ["name"] = "req",
                    ["authLevel"] = f.AuthLevel,
                    ["route"] = f.Route,
                    ["methods"] = new JsonArray([.. f.Methods.Select(m => JsonValue.Create(m))]),
                },
                new JsonObject { ["type"] = "http", ["direction"] = "out", ["name"] = "res" }));
        }

        foreach (var t in catalog.Timers)
        {
            yield return (t.Name, Bindings(new JsonObject
            {
                ["type"] = "timerTrigger",
                ["direction"] = "in",
                ["name"] = "timer",
                ["schedule"] = t.Schedule,
                ["runOnStartup"] = false,
                ["useMonitor"] = true,
            }));
        }

        foreach (var q in catalog.Queues)
        {
            var trigger = new JsonObject
            {
                ["type"] = "queueTrigger",
                ["direction"] = "in",
                ["name"] = "message",
                ["queueName"] = q.QueueName,
                ["connection"] = Connection,
            };
            yield return (q.Name, q.OutputBinding is { } output
                ? Bindings(trigger, new JsonObject
                {
                    ["type"] = "queue",
                    ["direction"] = "out",
                    ["name"] = output,
                    ["queueName"] = q.QueueName,
                    ["connection"] = Connection,
                })
                : Bindings(trigger));
        }
    }

    private static JsonObject Bindings(params JsonObject[] bindings) =>
        new() { ["bindings"] = new JsonArray([.. bindings]) };
}
