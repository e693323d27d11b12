using Azure.Data.Tables;

namespace Serverless.Orchestration.AzureStorage;

/// <summary>
/// Where messages that keep failing are moved, so they stop being retried forever and an operator
/// can see what they were and why they were given up on.
/// </summary>
internal sealed class PoisonStore(TableClient table)
{
    public async Task RecordAsync(string queue, string? instanceId, string messageText, long dequeueCount, string reason, CancellationToken cancellationToken)
    {
        var key = string.IsNullOrEmpty(instanceId) || InstanceIds.GetProblem(instanceId) is not null ? "_unknown" : instanceId;
        var entity = new TableEntity(key, $"{DateTime.MaxValue.Ticks - DateTime.UtcNow.Ticks:D19}-{Guid.NewGuid():N}")
        {
            ["Queue"] = queue,
            ["Message"] = messageText.Length > PayloadStore.TableThresholdChars ? messageText[..PayloadStore.TableThresholdChars] : messageText,
            ["DequeueCount"] = dequeueCount,
            ["Reason"] = reason.Length > 8000 ? reason[..8000] : reason,
        };
        await table.AddEntityAsync(entity, cancellationToken);
    }

    public async Task<List<TableEntity>> ListAsync(string? instanceId, CancellationToken cancellationToken)
    {
        var filter = instanceId is null ? null : TableClient.CreateQueryFilter($"PartitionKey eq {instanceId}");
        var list = new List<TableEntity>();
        await foreach (var e in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            list.Add(e);
        }

        return list;
    }
}
