using System.Text.Json;
using Azure;
using Azure.Data.Tables;

namespace Serverless.Orchestration.AzureStorage;

/// <summary>Instance rows: conversion, queries and purge.</summary>
internal sealed partial class InstanceStore
{
    private static readonly string[] s_largeColumns = ["Input", "Output", "CustomStatus"];

    /// <summary>One page of instance rows matching <paramref name="query"/>.</summary>
    public async Task<OrchestrationQueryResult> QueryAsync(OrchestrationQuery query, CancellationToken cancellationToken)
    {
        var pageSize = Math.Clamp(query.PageSize, 1, 1000);
        var filter = BuildFilter(query.Statuses, query.CreatedFrom, query.CreatedTo, query.InstanceIdPrefix);
        await foreach (var page in table.QueryAsync<TableEntity>(filter, pageSize, cancellationToken: cancellationToken)
                           .AsPages(query.ContinuationToken, pageSize))
        {
            var list = new List<OrchestrationMetadata>(page.Values.Count);
            foreach (var row in page.Values)
            {
                list.Add((await FromInstanceRowAsync(row, query.FetchInputsAndOutputs, cancellationToken)).ToMetadata());
            }

            return new OrchestrationQueryResult(list, page.ContinuationToken);
        }

        return new OrchestrationQueryResult([], null);
    }

    /// <summary>Every instance row matching the filter, for purges.</summary>
    public async IAsyncEnumerable<InstanceState> ScanAsync(string filter, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var row in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            yield return await FromInstanceRowAsync(row, fetchPayloads: false, cancellationToken);
        }
    }

    /// <summary>The OData filter for instance rows; history rows never match (their RowKey is not empty).</summary>
    public static string BuildFilter(IReadOnlyCollection<OrchestrationStatus>? statuses, DateTime? createdFrom, DateTime? createdTo, string? prefix)
    {
        var parts = new List<string> { "RowKey eq ''" };
        if (statuses is { Count: > 0 })
        {
            parts.Add("(" + string.Join(" or ", statuses.Select(s => TableClient.CreateQueryFilter($"RuntimeStatus eq {s.ToString()}"))) + ")");
        }

        if (createdFrom is { } from)
        {
            parts.Add(TableClient.CreateQueryFilter($"CreatedTime ge {new DateTimeOffset(DateTime.SpecifyKind(from, DateTimeKind.Utc))}"));
        }

        if (createdTo is { } to)
        {
            parts.Add(TableClient.CreateQueryFilter($"CreatedTime lt {new DateTimeOffset(DateTime.SpecifyKind(to, DateTimeKind.Utc))}"));
        }

        if (!string.IsNullOrEmpty(prefix))
        {
            var upper = prefix[..^1] + (char)(prefix[^1] + 1);
            parts.Add(TableClient.CreateQueryFilter($"PartitionKey ge {prefix} and PartitionKey lt {upper}"));
        }

        return string.Join(" and ", parts);
    }

    /// <summary>
    /// Deletes a finished instance: history rows first, payload blobs next, the instance row last
    /// (under its ETag), so a crash part-way leaves a finished instance that a second purge completes.
    /// </summary>
    /// <returns>False when the instance does not exist.</returns>
    /// <exception cref="InstanceStateException">The instance is not finished.</exception>
    public async Task<bool> PurgeAsync(string instanceId, CancellationToken cancellationToken)
    {
        var response = await table.GetEntityIfExistsAsync<TableEntity>(instanceId, InstanceRowKey, cancellationToken: cancellationToken);
        if (!response.HasValue)
        {
            return false;
        }

        var instanceRow = response.Value!;
        var status = Enum.Parse<OrchestrationStatus>(instanceRow.GetString("RuntimeStatus") ?? nameof(OrchestrationStatus.Unknown));
        if (!status.IsTerminal())
        {
            throw new InstanceStateException(instanceId, status, "purge (only finished instances can be purged)");
        }

        var batch = new List<TableTransactionAction>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {instanceId} and RowKey gt {InstanceRowKey}");
        await foreach (var row in table.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
        {
            batch.Add(new TableTransactionAction(TableTransactionActionType.Delete, row, ETag.All));
            if (batch.Count == 100)
            {
                await table.SubmitTransactionAsync(batch, cancellationToken);
                batch.Clear();
            }
        }

        if (batch.Count > 0)
        {
            await table.SubmitTransactionAsync(batch, cancellationToken);
        }

        await payloads.DeleteInstanceAsync(instanceId, cancellationToken);
        try
        {
            await table.DeleteEntityAsync(instanceId, InstanceRowKey, instanceRow.ETag, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 412)
        {
            return ex.Status == 404;
        }

        return true;
    }

    private async Task<TableEntity> ToInstanceRowAsync(InstanceState state, int historyCount, CancellationToken cancellationToken)
    {
        var row = new TableEntity(state.InstanceId, InstanceRowKey)
        {
            ["Name"] = state.Name,
            ["ExecutionId"] = state.ExecutionId,
            ["RuntimeStatus"] = state.Status.ToString(),
            ["CreatedTime"] = new DateTimeOffset(DateTime.SpecifyKind(state.CreatedTime, DateTimeKind.Utc)),
            ["LastUpdatedTime"] = new DateTimeOffset(DateTime.SpecifyKind(state.LastUpdatedTime, DateTimeKind.Utc)),
            ["HistoryCount"] = historyCount,
        };
        if (state.CompletedTime is { } completed)
        {
            row["CompletedTime"] = new DateTimeOffset(DateTime.SpecifyKind(completed, DateTimeKind.Utc));
        }

        if (state.ParentInstanceId is { } parent)
        {
            row["ParentInstanceId"] = parent;
        }

        if (state.Failure is { } failure)
        {
            var json = JsonSerializer.Serialize(failure, DataConverter.Options);
            row["Failure"] = json.Length > PayloadStore.TableThresholdChars
                ? JsonSerializer.Serialize(failure with { StackTrace = null, Inner = null }, DataConverter.Options)
                : json;
        }

        await SetLargeAsync(row, state, "Input", state.Input, cancellationToken);
        await SetLargeAsync(row, state, "Output", state.Output, cancellationToken);
        await SetLargeAsync(row, state, "CustomStatus", state.CustomStatus, cancellationToken);
        return row;
    }

    private async Task SetLargeAsync(TableEntity row, InstanceState state, string column, string? value, CancellationToken cancellationToken)
    {
        if (value is null)
        {
            return;
        }

        if (value.Length <= PayloadStore.TableThresholdChars)
        {
            row[column] = value;
            return;
        }

        // Reuse the blob written for the same value at an earlier checkpoint.
        if (!state.OffloadedColumns.TryGetValue(column, out var known) || !string.Equals(known.Value, value, StringComparison.Ordinal))
        {
            known = (value, await payloads.UploadAsync(state.InstanceId, column.ToLowerInvariant(), value, cancellationToken));
            state.OffloadedColumns[column] = known;
        }

        row[column + "Blob"] = known.Blob;
    }

    private async Task<InstanceState> FromInstanceRowAsync(TableEntity row, bool fetchPayloads, CancellationToken cancellationToken)
    {
        var state = new InstanceState
        {
            InstanceId = row.PartitionKey,
            ExecutionId = row.GetString("ExecutionId") ?? string.Empty,
            Name = row.GetString("Name") ?? string.Empty,
            Status = Enum.TryParse<OrchestrationStatus>(row.GetString("RuntimeStatus"), out var status) ? status : OrchestrationStatus.Unknown,
            CreatedTime = row.GetDateTimeOffset("CreatedTime")?.UtcDateTime ?? default,
            LastUpdatedTime = row.GetDateTimeOffset("LastUpdatedTime")?.UtcDateTime ?? default,
            CompletedTime = row.GetDateTimeOffset("CompletedTime")?.UtcDateTime,
            ParentInstanceId = row.GetString("ParentInstanceId"),
            Failure = row.GetString("Failure") is { } f ? JsonSerializer.Deserialize<FailureDetails>(f, DataConverter.Options) : null,
            ETag = row.ETag,
            RowHistoryCount = row.GetInt32("HistoryCount") ?? 0,
        };
        foreach (var column in s_largeColumns)
        {
            string? value = row.GetString(column);
            if (row.GetString(column + "Blob") is { } blob && fetchPayloads)
            {
                value = await payloads.DownloadAsync(blob, cancellationToken);
                state.OffloadedColumns[column] = (value, blob);
            }

            switch (column)
            {
                case "Input": state.Input = value; break;
                case "Output": state.Output = value; break;
                default: state.CustomStatus = value; break;
            }
        }

        return state;
    }
}
