using System.Text.Json.Nodes;

namespace Serverless.Infra.Tests;

/// <summary>
/// The security and wiring rules the deployment must keep, checked on the predicted resources of a
/// <c>bicep snapshot</c>. Returns every broken rule, so a failing test names all of them at once.
/// </summary>
internal static class InfraPolicy
{
    public static readonly IReadOnlyDictionary<string, string> RoleGuids = new Dictionary<string, string>
    {
        ["Storage Blob Data Owner"] = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b",
        ["Storage Queue Data Contributor"] = "974c5e8b-45b9-4653-ba55-5f855dd0fb88",
        ["Storage Table Data Contributor"] = "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3",
        ["Azure Batch Data Contributor"] = "6aaa78f1-f7de-44ca-8722-c64a23943cae",
        ["Monitoring Metrics Publisher"] = "3913510d-42f4-4e42-8a64-420c390055eb",
    };

    public static readonly string[] RequiredAppSettings =
    [
        "AzureWebJobsStorage__accountName", "AzureWebJobsStorage__credential", "AzureWebJobsStorage__clientId",
        "AZURE_CLIENT_ID", "APPLICATIONINSIGHTS_CONNECTION_STRING", "APPLICATIONINSIGHTS_AUTHENTICATION_STRING",
        "Serverless__Storage__BlobServiceUri", "Serverless__Storage__QueueServiceUri", "Serverless__Storage__TableServiceUri",
        "Serverless__Storage__ClientId", "Serverless__Batch__AccountUrl", "Serverless__Batch__GpuPoolId", "Serverless__Batch__CpuPoolId",
    ];

    public static List<string> Check(JsonNode snapshot)
    {
        var problems = new List<string>();
        var resources = snapshot["predictedResources"]!.AsArray().Select(r => r!.AsObject()).ToList();
        List<JsonObject> OfType(string type) =>
            resources.Where(r => string.Equals((string?)r["type"], type, StringComparison.OrdinalIgnoreCase)).ToList();

        CheckStorage(OfType("Microsoft.Storage/storageAccounts"), OfType("Microsoft.Storage/storageAccounts/blobServices/containers"), problems);
        CheckRoles(OfType("Microsoft.Authorization/roleAssignments"), problems);
        CheckBatch(OfType("Microsoft.Batch/batchAccounts"), OfType("Microsoft.Batch/batchAccounts/pools"), problems);
        CheckApp(OfType("Microsoft.Web/serverfarms"), OfType("Microsoft.Web/sites"), problems);

        var text = snapshot.ToJsonString();
        foreach (var secret in new[] { "listKeys(", "AccountKey=", "SharedAccessSignature" })
        {
            if (text.Contains(secret, StringComparison.OrdinalIgnoreCase))
            {
                problems.Add($"the deployment uses '{secret}': every connection must be identity-based");
            }
        }

        return problems;
    }

    private static void CheckStorage(List<JsonObject> accounts, List<JsonObject> containers, List<string> problems)
    {
        if (accounts.Count != 1)
        {
            problems.Add($"expected one storage account, found {accounts.Count}");
        }

        foreach (var account in accounts)
        {
            var p = account["properties"];
            Expect((bool?)p?["allowSharedKeyAccess"] == false, $"storage {account["name"]}: allowSharedKeyAccess must be false", problems);
            Expect((bool?)p?["allowBlobPublicAccess"] == false, $"storage {account["name"]}: allowBlobPublicAccess must be false", problems);
            Expect((string?)p?["minimumTlsVersion"] == "TLS1_2", $"storage {account["name"]}: minimumTlsVersion must be TLS1_2", problems);
            Expect((bool?)p?["supportsHttpsTrafficOnly"] == true, $"storage {account["name"]}: supportsHttpsTrafficOnly must be true", problems);
        }

        foreach (var name in new[] { "deployments", "mlflow-artifacts", "pipelines" })
        {
            Expect(containers.Any(c => ((string?)c["name"])?.EndsWith("/" + name, StringComparison.Ordinal) == true),
                $"blob container '{name}' missing", problems);
        }
    }

    private static void CheckRoles(List<JsonObject> assignments, List<string> problems)
    {
        (string Role, string ScopeType)[] expected =
        [
            ("Storage Blob Data Owner", "Microsoft.Storage/storageAccounts/"),
            ("Storage Queue Data Contributor", "Microsoft.Storage/storageAccounts/"),
            ("Storage Table Data Contributor", "Microsoft.Storage/storageAccounts/"),
            ("Azure Batch Data Contributor", "Microsoft.Batch/batchAccounts/"),
            ("Monitoring Metrics Publisher", "Microsoft.Insights/components/"),
        ];
        foreach (var (role, scope) in expected)
        {
            var guid = RoleGuids[role];
            var match = assignments.FirstOrDefault(a =>
                ((string?)a["properties"]?["roleDefinitionId"])?.EndsWith("/roleDefinitions/" + guid, StringComparison.OrdinalIgnoreCase) == true);
            if (match is null)
            {
                problems.Add($"role assignment '{role}' ({guid}) missing");
                continue;
            }

            Expect(((string?)match["id"])?.Contains("/providers/" + scope, StringComparison.OrdinalIgnoreCase) == true,
                $"role '{role}' must be scoped to a {scope.TrimEnd('/')} resource, got {match["id"]}", problems);
            Expect((string?)match["properties"]?["principalType"] == "ServicePrincipal", $"role '{role}': principalType must be ServicePrincipal", problems);
            Expect(((string?)match["properties"]?["principalId"])?.Contains("userAssignedIdentities", StringComparison.OrdinalIgnoreCase) == true,
                $"role '{role}' must be granted to the user-assigned identity", problems);
        }

        Expect(assignments.Count == expected.Length, $"expected exactly {expected.Length} role assignments (least privilege), found {assignments.Count}", problems);
    }

    private static void CheckBatch(List<JsonObject> accounts, List<JsonObject> pools, List<string> problems)
    {
        foreach (var account in accounts)
        {
            var p = account["properties"];
            var modes = p?["allowedAuthenticationModes"]?.AsArray().Select(m => (string?)m).ToList() ?? [];
            Expect(modes is ["AAD"], $"batch {account["name"]}: allowedAuthenticationModes must be exactly ['AAD'], got [{string.Join(", ", modes)}]", problems);
            Expect((string?)p?["poolAllocationMode"] == "BatchService", $"batch {account["name"]}: poolAllocationMode must be BatchService", problems);
        }

        foreach (var poolName in new[] { "gpu-pool", "cpu-pool" })
        {
            var pool = pools.FirstOrDefault(p => ((string?)p["name"])?.EndsWith("/" + poolName, StringComparison.Ordinal) == true);
            if (pool is null)
            {
                problems.Add($"batch pool '{poolName}' missing");
                continue;
            }

            var formula = (string?)pool["properties"]?["scaleSettings"]?["autoScale"]?["formula"] ?? string.Empty;
            Expect(formula.Contains("$PendingTasks", StringComparison.Ordinal) && formula.Contains("max(0,", StringComparison.Ordinal)
                   && formula.Contains("$TargetDedicatedNodes", StringComparison.Ordinal) && formula.Contains("$TargetLowPriorityNodes", StringComparison.Ordinal),
                $"pool '{poolName}': autoscale formula must follow pending tasks and reach zero, got '{formula}'", problems);
            var vm = pool["properties"]?["deploymentConfiguration"]?["virtualMachineConfiguration"];
            Expect((string?)vm?["containerConfiguration"]?["type"] == "DockerCompatible", $"pool '{poolName}': containerConfiguration.type must be DockerCompatible", problems);
            Expect((string?)pool["identity"]?["type"] == "UserAssigned", $"pool '{poolName}': needs the user-assigned identity", problems);
        }
    }

    private static void CheckApp(List<JsonObject> plans, List<JsonObject> sites, List<string> problems)
    {
        Expect(plans.Count == 1 && (string?)plans[0]["sku"]?["name"] == "FC1", "the app plan must be Flex Consumption (FC1)", problems);
        if (sites.Count != 1)
        {
            problems.Add($"expected one Function App, found {sites.Count}");
            return;
        }

        var p = sites[0]["properties"];
        Expect((string?)p?["functionAppConfig"]?["runtime"]?["name"] == "custom", "the Function App runtime must be 'custom' (custom handler)", problems);
        Expect((bool?)p?["httpsOnly"] == true, "the Function App must be HTTPS only", problems);
        Expect((string?)p?["siteConfig"]?["minTlsVersion"] == "1.2", "the Function App minTlsVersion must be 1.2", problems);
        Expect((string?)p?["functionAppConfig"]?["deployment"]?["storage"]?["authentication"]?["type"] == "UserAssignedIdentity",
            "the deployment container must be reached with the user-assigned identity", problems);
        var settings = p?["siteConfig"]?["appSettings"]?.AsArray().ToDictionary(s => (string)s!["name"]!, s => s!["value"]?.ToString()) ?? [];
        foreach (var name in RequiredAppSettings)
        {
            Expect(settings.ContainsKey(name), $"app setting '{name}' missing", problems);
        }

        Expect(settings.GetValueOrDefault("AzureWebJobsStorage__credential") == "managedidentity", "AzureWebJobsStorage__credential must be managedidentity", problems);
        Expect(!settings.ContainsKey("AzureWebJobsStorage"), "AzureWebJobsStorage (a connection string) must not be set", problems);
    }

    private static void Expect(bool ok, string problem, List<string> problems)
    {
        if (!ok)
        {
            problems.Add(problem);
        }
    }
}
