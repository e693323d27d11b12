using Serverless.Compute.AzureBatch.Steps;
using Serverless.Host;
using Serverless.Host.Functions;
using Serverless.Host.Hosting;
using Serverless.Host.Security;
using Serverless.Host.Telemetry;
using Serverless.Orchestration.Http;
using Serverless.Pipelines.Http;
using Serverless.Schedules;
using Serverless.Schedules.Http;
using Serverless.Schedules.Running;
using Serverless.Storage;
using Serverless.Sweeps.Orchestration;
using Serverless.Tracking;
using Serverless.Tracking.Mlflow;

// Publishing: write the function folders from the catalog and exit.
if (args is [GenerateFunctionsCommand.Verb, ..])
{
    Environment.ExitCode = GenerateFunctionsCommand.Run(args);
    return;
}

var builder = WebApplication.CreateSlimBuilder(args);

// Where to listen: loopback by default (local mode); the custom-handler port in Azure.
builder.WebHost.UseUrls(HostAddress.Resolve(builder.Configuration));

// Storage: Azurite unless configured otherwise.
var storage = builder.Configuration.GetSection(StorageOptions.SectionName).Get<StorageOptions>() ?? new StorageOptions();
if (string.IsNullOrWhiteSpace(storage.ConnectionString) && storage.BlobServiceUri is null)
{
    storage = StorageOptions.Development();
}

builder.Services.AddSingleton(storage);
builder.Services.AddSingleton(new StorageClients(storage));

// The durable engine: client, workers, partition leases, retention.
builder.Services.AddDurableEngine(builder.Configuration);

// Tracking (MLflow REST) on Tables and Blobs.
builder.Services.AddTracking(o => builder.Configuration.GetSection(TrackingOptions.SectionName).Bind(o));

// Durable pipeline runs; steps log to this host's own MLflow API unless configured otherwise.
builder.Services.AddPipelines(builder.Configuration, HostAddress.Resolve(builder.Configuration));

// Swept steps: trials as sub-orchestrations, early stopping from the tracked metric history.
builder.Services.AddSweeps(o => builder.Configuration.GetSection(SweepOrchestrationOptions.SectionName).Bind(o));

// Cron schedules: one durable orchestration per schedule starts pipeline runs.
builder.Services.AddSchedules(o => builder.Configuration.GetSection(SchedulerOptions.SectionName).Bind(o));

// Steps with compute: batch run as Azure Batch tasks, when a Batch account is configured.
if (builder.Configuration.IsBatchConfigured())
{
    builder.Services.AddAzureBatchSteps(builder.Configuration);
}

// The Functions app: the catalog's timer/queue triggers (run in-process locally), telemetry, auth.
builder.Services.AddFunctionsApp(builder.Configuration);
builder.AddPlatformTelemetry();
builder.Services.AddApiAuth(builder.Configuration);

var app = builder.Build();

// Fail fast, with the endpoint named, when storage cannot be reached (everything here depends on it).
if (await StorageProbe.FindProblemAsync(app.Services.GetRequiredService<StorageClients>()) is { } storageProblem)
{
    await Console.Error.WriteLineAsync($"serverless host: storage is not reachable: {storageProblem}. " +
        "Locally, start Azurite with '.ci/azurite.sh start' (or '.ci/host', which starts it); in Azure, check the " +
        "Serverless__Storage__* settings and the app's network access to the storage account.");
    Environment.ExitCode = 3;
    return;
}
app.UseApiAuth();
app.UseWakeOnWrite();

// Liveness.
app.MapGet("/health", () => Results.Ok(new { status = "ok" }));
app.MapFunctionInvocations();
app.MapMlflowApi();
app.MapDurableManagementApi();
app.MapPipelinesApi();
app.MapSchedulesApi();
app.MapSweepsApi();

await app.RunAsync();
