using Serverless.Host;
using Serverless.Storage;

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

var app = builder.Build();

// Liveness.
app.MapGet("/health", () => Results.Ok(new { status = "ok" }));

app.Run();
