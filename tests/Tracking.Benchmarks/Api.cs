using System.Text;
using System.Text.Json.Nodes;

namespace Serverless.Tracking.Benchmarks;

/// <summary>Raw MLflow REST calls with JSON bodies, as the Python client sends them.</summary>
internal sealed class Api(HttpClient http, string baseUrl)
{
    private readonly string _root = baseUrl.TrimEnd('/') + "/api/2.0/mlflow/";

    public async Task<string> PostAsync(string path, string json)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await http.PostAsync(_root + path, content);
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{path} failed with {(int)response.StatusCode}: {body}");
        }

        return body;
    }

    public async Task<string> CreateExperimentAsync(string name) =>
        JsonNode.Parse(await PostAsync("experiments/create", $$"""{"name":"{{name}}"}"""))!["experiment_id"]!.GetValue<string>();

    public async Task<string> CreateRunAsync(string experimentId) =>
        JsonNode.Parse(await PostAsync("runs/create", $$"""{"experiment_id":"{{experimentId}}","user_id":"bench","start_time":{{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}},"tags":[{"key":"mlflow.source.type","value":"LOCAL"}]}"""))!["run"]!["info"]!["run_id"]!.GetValue<string>();
}
