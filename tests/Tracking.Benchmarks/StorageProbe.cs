using System.Diagnostics;
using System.Globalization;
using Azure;
using Azure.Data.Tables;
using Serverless.Storage;

namespace Serverless.Tracking.Benchmarks;

/// <summary>
/// The storage floor under the single-metric path: the latency of each Table operation a
/// <c>log_metric</c> could use, alone and paired concurrently, against the same Azurite, so the
/// HTTP figure can be compared with what storage alone costs.
/// </summary>
internal static class StorageProbe
{
    private const int Calls = 300;

    public static async Task RunAsync(StorageOptions storage)
    {
        var clients = new StorageClients(storage);
        var name = "probe" + Guid.NewGuid().ToString("N")[..8];
        var table = clients.Tables.GetTableClient(name);
        await table.CreateIfNotExistsAsync();
        try
        {
            var runRow = RunRow();
            await table.UpsertEntityAsync(runRow, TableUpdateMode.Replace);
            var etag = (await table.GetEntityAsync<TableEntity>(runRow.PartitionKey, runRow.RowKey)).Value.ETag;
            var point = new byte[24];

            await MeasureAsync("GET entity (point read)", async _ => await table.GetEntityAsync<TableEntity>(runRow.PartitionKey, runRow.RowKey));
            await MeasureAsync("PUT entity (upsert, 1 point)", async i => await table.UpsertEntityAsync(Point(i, point), TableUpdateMode.Replace));
            await MeasureAsync("POST $batch (1 point)", async i => await table.SubmitTransactionAsync([new(TableTransactionActionType.UpsertReplace, Point(i, point))]));
            await MeasureAsync("PUT run row If-Match", async i =>
            {
                runRow["M_loss"] = i.ToString("x16", CultureInfo.InvariantCulture);
                etag = (await table.UpdateEntityAsync(runRow, etag, TableUpdateMode.Replace)).Headers.ETag ?? ETag.All;
            });
            await MeasureAsync("PUT point || PUT run row", async i =>
            {
                runRow["M_loss"] = i.ToString("x16", CultureInfo.InvariantCulture);
                var row = table.UpdateEntityAsync(runRow, etag, TableUpdateMode.Replace);
                await Task.WhenAll(table.UpsertEntityAsync(Point(i, point), TableUpdateMode.Replace), row);
                etag = row.Result.Headers.ETag ?? ETag.All;
            });
            await MeasureAsync("$batch point || PUT run row", async i =>
            {
                runRow["M_loss"] = i.ToString("x16", CultureInfo.InvariantCulture);
                var row = table.UpdateEntityAsync(runRow, etag, TableUpdateMode.Replace);
                await Task.WhenAll(table.SubmitTransactionAsync([new(TableTransactionActionType.UpsertReplace, Point(i, point))]), row);
                etag = row.Result.Headers.ETag ?? ETag.All;
            });
        }
        finally
        {
            await table.DeleteAsync();
        }
    }

    private static async Task MeasureAsync(string what, Func<int, Task> call)
    {
        for (var i = 0; i < 20; i++)
        {
            await call(-1 - i);
        }

        var times = new double[Calls];
        var self = Process.GetCurrentProcess().TotalProcessorTime;
        var azurite = AzuriteCpuMs();
        for (var i = 0; i < Calls; i++)
        {
            var watch = Stopwatch.StartNew();
            await call(i);
            times[i] = watch.Elapsed.TotalMilliseconds;
        }

        var selfCpu = (Process.GetCurrentProcess().TotalProcessorTime - self).TotalMilliseconds / Calls;
        var azuriteCpu = (AzuriteCpuMs() - azurite) / Calls;
        Array.Sort(times);
        Console.WriteLine($"{what,-32}: median {times[Calls / 2]:F2} ms, p10 {times[Calls / 10]:F2}, p90 {times[Calls * 9 / 10]:F2}; CPU client {selfCpu:F2} ms, Azurite {azuriteCpu:F2} ms  ({Calls} sequential calls)");
    }

    // Azurite's CPU time from /proc when AZURITE_PID names it (clock ticks of 10 ms), else 0.
    private static double AzuriteCpuMs()
    {
        if (!int.TryParse(Environment.GetEnvironmentVariable("AZURITE_PID"), out var pid) || !File.Exists($"/proc/{pid}/stat"))
        {
            return 0;
        }

        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (double.Parse(fields[11], CultureInfo.InvariantCulture) + double.Parse(fields[12], CultureInfo.InvariantCulture)) * 10;
    }

    private static TableEntity Point(int i, byte[] packed) =>
        new("run0", $"loss~{i:D6}-{Guid.NewGuid():N}") { ["Key"] = "loss", ["P"] = packed };

    // Roughly what a benchmark run's row carries: info columns, JSON columns, one metric column.
    private static TableEntity RunRow() => new("1", "run0")
    {
        ["RunName"] = "run-0",
        ["UserId"] = "bench",
        ["Status"] = "RUNNING",
        ["StartTime"] = 1700000000000L,
        ["ArtifactUri"] = "mlflow-artifacts:/1/run0/artifacts",
        ["LifecycleStage"] = "active",
        ["Params"] = "{}",
        ["Tags"] = """{"mlflow.source.type":"LOCAL","mlflow.runName":"run-0"}""",
        ["Metrics"] = """{"loss":{"value":0.5,"timestamp":1700000000000,"step":1}}""",
        ["Inputs"] = "",
        ["MCols"] = "all",
        ["M_loss"] = "0000000000000000",
    };
}
