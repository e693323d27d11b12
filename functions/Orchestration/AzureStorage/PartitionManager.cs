using System.Globalization;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;

namespace Serverless.Orchestration.AzureStorage;

/// <summary>
/// Shares the control-queue partitions among the live workers through one table: a lease row per
/// partition (owner, expiry; updated under ETags) and a heartbeat row per worker. Each worker aims
/// for ceil(partitions / live workers), takes free or expired leases, and hands surplus ones back
/// after draining them.
/// </summary>
/// <remarks>
/// Leases only spread the work. Correctness does not depend on them: two workers that both believe
/// they own an instance are fenced by the instance row's ETag, and the loser's checkpoint fails.
/// </remarks>
internal sealed class PartitionManager(TableClient table, TaskHubOptions options, ILogger logger)
{
    private const string LeasePartition = "lease";
    private const string WorkerPartition = "worker";
    private readonly HashSet<int> _owned = [];

    /// <summary>Called when this worker gains a partition.</summary>
    public required Action<int> Acquired { get; init; }

    /// <summary>Called before this worker gives a partition up or after it lost it; completes when the partition is drained.</summary>
    public required Func<int, Task> Released { get; init; }

    public IReadOnlyCollection<int> Owned
    {
        get
        {
            lock (_owned)
            {
                return [.. _owned];
            }
        }
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await BalanceAsync(cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                Log.LeaseFailed(logger, ex);
            }

            try
            {
                await Task.Delay(options.LeaseRenewInterval, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    /// <summary>One round: heartbeat, renew, release surplus, acquire free.</summary>
    public async Task BalanceAsync(CancellationToken cancellationToken)
    {
        var now = DateTimeOffset.UtcNow;
        await table.UpsertEntityAsync(new TableEntity(WorkerPartition, options.WorkerId) { ["LastSeen"] = now }, TableUpdateMode.Replace, cancellationToken);

        var live = 0;
        await foreach (var w in table.QueryAsync<TableEntity>(e => e.PartitionKey == WorkerPartition, cancellationToken: cancellationToken))
        {
            if (w.GetDateTimeOffset("LastSeen") is { } seen && seen > now - options.LeaseDuration)
            {
                live++;
            }
        }

        var leases = new Dictionary<int, TableEntity>();
        await foreach (var l in table.QueryAsync<TableEntity>(e => e.PartitionKey == LeasePartition, cancellationToken: cancellationToken))
        {
            if (int.TryParse(l.RowKey, NumberStyles.Integer, CultureInfo.InvariantCulture, out var p) && p < options.PartitionCount)
            {
                leases[p] = l;
            }
        }

        for (var p = 0; p < options.PartitionCount; p++)
        {
            if (!leases.ContainsKey(p))
            {
                var row = new TableEntity(LeasePartition, p.ToString("D2", CultureInfo.InvariantCulture)) { ["Owner"] = string.Empty, ["ExpiresAt"] = now };
                try
                {
                    var added = await table.AddEntityAsync(row, cancellationToken);
                    row.ETag = added.Headers.ETag!.Value;
                    leases[p] = row;
                }
                catch (RequestFailedException ex) when (ex.Status == 409)
                {
                    // Another worker created it; it is read again next round.
                }
            }
        }

        var target = (int)Math.Ceiling(options.PartitionCount / (double)Math.Max(live, 1));
        var mine = leases.Where(l => IsMine(l.Value)).Select(l => l.Key).OrderBy(p => p).ToList();

        // Lost leases (expired and taken, or stolen): stop processing them at once.
        foreach (var p in Owned.Except(mine).ToList())
        {
            await ReleaseLocallyAsync(p);
        }

        foreach (var p in mine.Skip(target).ToList())
        {
            await ReleaseLocallyAsync(p);
            await TryWriteLeaseAsync(leases[p], string.Empty, now, cancellationToken);
            mine.Remove(p);
        }

        foreach (var p in mine)
        {
            if (await TryWriteLeaseAsync(leases[p], options.WorkerId, now + options.LeaseDuration, cancellationToken))
            {
                AcquireLocally(p);
            }
            else
            {
                await ReleaseLocallyAsync(p);
            }
        }

        var count = mine.Count;
        foreach (var (p, lease) in leases.OrderBy(l => l.Key))
        {
            if (count >= target)
            {
                break;
            }

            if (mine.Contains(p) || !IsFree(lease, now))
            {
                continue;
            }

            if (await TryWriteLeaseAsync(lease, options.WorkerId, now + options.LeaseDuration, cancellationToken))
            {
                AcquireLocally(p);
                count++;
            }
        }
    }

    /// <summary>Gives every lease back so other workers (or this worker's restart) take over at once.</summary>
    public async Task ReleaseAllAsync(CancellationToken cancellationToken)
    {
        foreach (var p in Owned)
        {
            await ReleaseLocallyAsync(p);
            try
            {
                var lease = await table.GetEntityAsync<TableEntity>(LeasePartition, p.ToString("D2", CultureInfo.InvariantCulture), cancellationToken: cancellationToken);
                if (string.Equals(lease.Value.GetString("Owner"), options.WorkerId, StringComparison.Ordinal))
                {
                    await TryWriteLeaseAsync(lease.Value, string.Empty, DateTimeOffset.UtcNow, cancellationToken);
                }
            }
            catch (RequestFailedException)
            {
                // Expiry frees it anyway.
            }
        }

        try
        {
            await table.DeleteEntityAsync(WorkerPartition, options.WorkerId, ETag.All, cancellationToken);
        }
        catch (RequestFailedException)
        {
            // The heartbeat expires on its own.
        }
    }

    // A lease still naming this worker is its own even when expired: nobody took it, and a restarted
    // process with the same worker id resumes its partitions without waiting for expiry.
    private bool IsMine(TableEntity lease) =>
        string.Equals(lease.GetString("Owner"), options.WorkerId, StringComparison.Ordinal);

    private static bool IsFree(TableEntity lease, DateTimeOffset now) =>
        string.IsNullOrEmpty(lease.GetString("Owner")) || lease.GetDateTimeOffset("ExpiresAt") is not { } expires || expires <= now;

    private async Task<bool> TryWriteLeaseAsync(TableEntity lease, string owner, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        var row = new TableEntity(lease.PartitionKey, lease.RowKey) { ["Owner"] = owner, ["ExpiresAt"] = expiresAt };
        try
        {
            var response = await table.UpdateEntityAsync(row, lease.ETag, TableUpdateMode.Replace, cancellationToken);
            lease.ETag = response.Headers.ETag!.Value;
            lease["Owner"] = owner;
            lease["ExpiresAt"] = expiresAt;
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is 412 or 404)
        {
            return false;
        }
    }

    private void AcquireLocally(int partition)
    {
        bool added;
        lock (_owned)
        {
            added = _owned.Add(partition);
        }

        if (added)
        {
            Log.PartitionAcquired(logger, options.WorkerId, partition);
            Acquired(partition);
        }
    }

    private async Task ReleaseLocallyAsync(int partition)
    {
        bool removed;
        lock (_owned)
        {
            removed = _owned.Remove(partition);
        }

        if (removed)
        {
            Log.PartitionReleased(logger, options.WorkerId, partition);
            await Released(partition);
        }
    }
}
