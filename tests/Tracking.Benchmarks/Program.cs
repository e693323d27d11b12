using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Serverless.Tracking.Benchmarks;

// Usage: Serverless.Tracking.Benchmarks [base-url]   (default http://127.0.0.1:7071)
//        --serve <port> <table-prefix> <container>   (internal: the child server)
//        --probe   (latency of the single Table operations a log_metric can use: the storage floor)
// SERVERLESS_TEST_STORAGE=<connection string> runs against another account than the default Azurite.
// When nothing answers at the base URL, a child server is started on a free loopback port against
// Azurite with throw-away tables, and its resident memory is reported.
if (args is ["--serve", var servePort, var prefix, var containerName])
{
    await BenchmarkServer.RunAsync(int.Parse(servePort, CultureInfo.InvariantCulture), prefix, containerName);
    return 0;
}

if (args is ["--probe"])
{
    await StorageProbe.RunAsync(BenchmarkServer.Storage());
    return 0;
}

var baseUrl = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal)) ?? "http://127.0.0.1:7071";
var repetitions = 3;
using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(120) };
Process? child = null;
string? tablePrefix = null;
string? container = null;
if (!await IsUpAsync(http, baseUrl))
{
    var port = FreePort();
    tablePrefix = "bench" + Guid.NewGuid().ToString("N")[..8];
    container = "bench-" + tablePrefix[5..];
    baseUrl = $"http://127.0.0.1:{port}";
    var start = ServerStart(port, tablePrefix, container);
    child = Process.Start(start)!;
    for (var i = 0; i < 100 && !await IsUpAsync(http, baseUrl); i++)
    {
        await Task.Delay(200);
    }

    Console.WriteLine($"started child server pid {child.Id} on {baseUrl} (tables {tablePrefix}*, DOTNET_gcServer={start.Environment["DOTNET_gcServer"]})");
}

try
{
    var api = new Api(http, baseUrl);
    var experimentId = await api.CreateExperimentAsync("bench-" + Guid.NewGuid().ToString("N")[..8]);
    var idleRss = child is null ? null : Rss(child.Id);

    // 1. log_batch: 1,000 metrics (10 keys x 100 steps) per call, 50 calls.
    var batchRates = new List<double>();
    for (var r = 0; r < repetitions; r++)
    {
        var runId = await api.CreateRunAsync(experimentId);
        await api.PostAsync("runs/log-batch", BatchBody(runId, -1));
        var watch = Stopwatch.StartNew();
        for (var call = 0; call < 50; call++)
        {
            await api.PostAsync("runs/log-batch", BatchBody(runId, call));
        }

        batchRates.Add(50_000 / watch.Elapsed.TotalSeconds);
    }

    // 2. single log_metric, 500 calls.
    var singleRates = new List<double>();
    var singleCpu = Cpu(child);
    for (var r = 0; r < repetitions; r++)
    {
        var runId = await api.CreateRunAsync(experimentId);
        var watch = Stopwatch.StartNew();
        for (var call = 0; call < 500; call++)
        {
            await api.PostAsync("runs/log-metric", $$"""{"run_id":"{{runId}}","run_uuid":"{{runId}}","key":"loss","value":{{(1.0 / (call + 1)).ToString("R", CultureInfo.InvariantCulture)}},"timestamp":{{1700000000000 + call}},"step":{{call}}}""");
        }

        singleRates.Add(500 / watch.Elapsed.TotalSeconds);
    }

    singleCpu = Cpu(child) - singleCpu;

    // 3. search over 2,000 runs: metrics.acc > 0.5 ordered by metrics.acc DESC, 100 results.
    var searchExperiment = await api.CreateExperimentAsync("bench-search-" + Guid.NewGuid().ToString("N")[..8]);
    var random = new Random(42);
    var seedWatch = Stopwatch.StartNew();
    var seeding = Enumerable.Range(0, 2000).Select(i => (Index: i, Acc: random.NextDouble())).Chunk(250).Select(async chunk =>
    {
        foreach (var (index, acc) in chunk)
        {
            var runId = await api.CreateRunAsync(searchExperiment);
            await api.PostAsync("runs/log-batch",
                $$"""{"run_id":"{{runId}}","metrics":[{"key":"acc","value":{{acc.ToString("R", CultureInfo.InvariantCulture)}},"timestamp":1,"step":0},{"key":"loss","value":{{(1 - acc).ToString("R", CultureInfo.InvariantCulture)}},"timestamp":1,"step":0}],"params":[{"key":"lr","value":"0.{{index % 10}}"},{"key":"model","value":"m{{index % 3}}"}],"tags":[{"key":"team","value":"bench"}]}""");
        }
    });
    await Task.WhenAll(seeding);
    Console.WriteLine($"seeded 2,000 runs in {seedWatch.Elapsed.TotalSeconds:F1} s");

    var searchBody = $$"""{"experiment_ids":["{{searchExperiment}}"],"filter":"metrics.acc > 0.5","run_view_type":"ACTIVE_ONLY","max_results":100,"order_by":["metrics.acc DESC"]}""";
    var first = JsonNode.Parse(await api.PostAsync("runs/search", searchBody))!;
    var returned = first["runs"]!.AsArray();
    var sorted = returned.Zip(returned.Skip(1)).All(p => Acc(p.First!) >= Acc(p.Second!));
    var searchTimes = new List<double>();
    var searchCpu = Cpu(child);
    for (var i = 0; i < 11; i++)
    {
        var watch = Stopwatch.StartNew();
        await api.PostAsync("runs/search", searchBody);
        searchTimes.Add(watch.Elapsed.TotalMilliseconds);
    }

    searchCpu = Cpu(child) - searchCpu;

    var afterRss = child is null ? null : Rss(child.Id);
    var peakRss = child is null ? null : Rss(child.Id, "VmHWM");

    // The same search from a second server on the same tables: its run cache is empty, so every
    // search reads the page's whole rows from the table (the cold path).
    var coldTimes = new List<double>();
    var coldCpu = default(CpuTime);
    if (child is not null)
    {
        var coldPort = FreePort();
        var coldUrl = $"http://127.0.0.1:{coldPort}";
        var coldStart = ServerStart(coldPort, tablePrefix!, container!);
        using var cold = Process.Start(coldStart)!;
        try
        {
            for (var i = 0; i < 100 && !await IsUpAsync(http, coldUrl); i++)
            {
                await Task.Delay(200);
            }

            var coldApi = new Api(http, coldUrl);
            await coldApi.PostAsync("runs/search", searchBody.Replace("\"max_results\":100", "\"max_results\":1", StringComparison.Ordinal));
            coldCpu = Cpu(cold);
            for (var i = 0; i < 11; i++)
            {
                var watch = Stopwatch.StartNew();
                await coldApi.PostAsync("runs/search", searchBody);
                coldTimes.Add(watch.Elapsed.TotalMilliseconds);
            }

            coldCpu = Cpu(cold) - coldCpu;
        }
        finally
        {
            cold.Kill();
            await cold.WaitForExitAsync();
        }
    }

    Console.WriteLine();
    Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}; {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
    Console.WriteLine($"log_batch 1,000 metrics x 50 calls : median {Median(batchRates):N0} metrics/s   (runs: {string.Join(", ", batchRates.Select(x => x.ToString("N0", CultureInfo.InvariantCulture)))}) target >= 22,000");
    Console.WriteLine($"single log_metric x 500            : median {Median(singleRates):N0} calls/s ({1000 / Median(singleRates):F2} ms/call)   (runs: {string.Join(", ", singleRates.Select(x => x.ToString("N0", CultureInfo.InvariantCulture)))}) target >= 300");
    Console.WriteLine($"search 2,000 runs, acc > 0.5, DESC : median {Median(searchTimes):F1} ms over {searchTimes.Count} (min {searchTimes.Min():F1}, max {searchTimes.Max():F1}); {returned.Count} runs returned, ordered: {sorted}   target <= 55 ms");
    if (coldTimes.Count > 0)
    {
        Console.WriteLine($"search, second server (cold cache)  : median {Median(coldTimes):F1} ms over {coldTimes.Count} (min {coldTimes.Min():F1}, max {coldTimes.Max():F1})   target <= 55 ms");
    }

    if (child is not null)
    {
        // CPU per operation does not depend on how busy the machine is, unlike the wall-clock figures.
        Console.WriteLine($"CPU per operation (server / Azurite): single log_metric {singleCpu.Server / 1500:F2} / {singleCpu.Azurite / 1500:F2} ms, "
            + $"warm search {searchCpu.Server / 11:F1} / {searchCpu.Azurite / 11:F1} ms, cold search {coldCpu.Server / 11:F1} / {coldCpu.Azurite / 11:F1} ms"
            + (Azurite() is null ? "   (set AZURITE_PID for Azurite's share)" : ""));
        Console.WriteLine($"server RSS                         : idle {idleRss:F0} MiB, after {afterRss:F0} MiB, peak {peakRss:F0} MiB   target <= 140 MiB");
    }

    return 0;
}
finally
{
    if (child is not null)
    {
        child.Kill();
        await child.WaitForExitAsync();
        await BenchmarkServer.CleanupAsync(tablePrefix!, container!);
    }
}

static ProcessStartInfo ServerStart(int port, string tablePrefix, string container)
{
    var self = Environment.ProcessPath!;
    var start = self.EndsWith("dotnet", StringComparison.Ordinal)
        ? new ProcessStartInfo(self, [typeof(BenchmarkServer).Assembly.Location, "--serve", port.ToString(CultureInfo.InvariantCulture), tablePrefix, container])
        : new ProcessStartInfo(self, ["--serve", port.ToString(CultureInfo.InvariantCulture), tablePrefix, container]);

    // Same GC mode as the host: functions/Host/Host.csproj turns the web SDK's server GC off.
    start.Environment["DOTNET_gcServer"] = Environment.GetEnvironmentVariable("BENCH_GC_SERVER") ?? "0";
    return start;
}

// Process CPU time (user + system) in ms from /proc; 0 when the process is not ours to read.
static double CpuMs(int? pid)
{
    if (pid is null || !File.Exists($"/proc/{pid}/stat"))
    {
        return 0;
    }

    var stat = File.ReadAllText($"/proc/{pid}/stat");
    var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
    return (double.Parse(fields[11], CultureInfo.InvariantCulture) + double.Parse(fields[12], CultureInfo.InvariantCulture)) * 10;
}

static int? Azurite() => int.TryParse(Environment.GetEnvironmentVariable("AZURITE_PID"), out var pid) ? pid : null;

static CpuTime Cpu(Process? server) => new(CpuMs(server?.Id), CpuMs(Azurite()));

static double Acc(JsonNode run) => run["data"]!["metrics"]!.AsArray().First(m => m!["key"]!.GetValue<string>() == "acc")!["value"]!.GetValue<double>();

static string BatchBody(string runId, int call)
{
    var builder = new StringBuilder($$"""{"run_id":"{{runId}}","metrics":[""");
    for (var i = 0; i < 1000; i++)
    {
        var step = (call * 100) + (i / 10);
        builder.Append(i == 0 ? "" : ",")
            .Append(CultureInfo.InvariantCulture, $$"""{"key":"metric_{{i % 10}}","value":{{(step * 0.001 + i % 10).ToString("R", CultureInfo.InvariantCulture)}},"timestamp":{{1700000000000 + step}},"step":{{step}}}""");
    }

    return builder.Append("]}").ToString();
}

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
}

static double? Rss(int pid, string field = "VmRSS")
{
    var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith(field + ":", StringComparison.Ordinal));
    return line is null ? null : double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
}

static async Task<bool> IsUpAsync(HttpClient http, string baseUrl)
{
    try
    {
        using var response = await http.GetAsync(baseUrl.TrimEnd('/') + "/api/2.0/mlflow/experiments/get?experiment_id=0");
        return response.IsSuccessStatusCode;
    }
    catch (HttpRequestException)
    {
        return false;
    }
}

static int FreePort()
{
    var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
    listener.Start();
    var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    listener.Stop();
    return port;
}
