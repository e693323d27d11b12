namespace Serverless.Orchestration.AzureStorage;

/// <summary>
/// Instance states kept between episodes by the worker that owns their partitions, so a busy
/// orchestration is not reloaded from the table for every event. A stale entry is harmless: its
/// ETag no longer matches, the checkpoint fails, and the entry is dropped and reloaded.
/// </summary>
internal sealed class InstanceCache(int capacity)
{
    private readonly Dictionary<string, LinkedListNode<InstanceState>> _map = new(StringComparer.Ordinal);
    private readonly LinkedList<InstanceState> _order = new();
    private readonly Lock _lock = new();

    public InstanceState? Get(string instanceId)
    {
        lock (_lock)
        {
            if (!_map.TryGetValue(instanceId, out var node))
            {
                return null;
            }

            _order.Remove(node);
            _order.AddFirst(node);
            return node.Value;
        }
    }

    public void Put(InstanceState state)
    {
        lock (_lock)
        {
            if (_map.Remove(state.InstanceId, out var old))
            {
                _order.Remove(old);
            }

            _map[state.InstanceId] = _order.AddFirst(state);
            while (_map.Count > capacity && _order.Last is { } last)
            {
                _map.Remove(last.Value.InstanceId);
                _order.RemoveLast();
            }
        }
    }

    public void Remove(string instanceId)
    {
        lock (_lock)
        {
            if (_map.Remove(instanceId, out var node))
            {
                _order.Remove(node);
            }
        }
    }

    public void RemoveWhere(Func<string, bool> predicate)
    {
        lock (_lock)
        {
            foreach (var id in _map.Keys.Where(predicate).ToList())
            {
                _order.Remove(_map[id]);
                _map.Remove(id);
            }
        }
    }
}
