using System.Collections.Concurrent;
using System.Diagnostics;

namespace Serverless.Orchestration.AzureStorage;

/// <summary>
/// Messages this process sent to a queue it is itself polling, handed straight to its poller. The queue
/// copy is sent invisible (as if received) and its pop receipt kept here, so the poller skips a receive
/// and its polling delay; if this process dies, the copy becomes visible when its visibility runs out
/// and any worker takes it, exactly like a received message whose worker crashed.
/// </summary>
internal sealed class LocalInbox(int limit)
{
    private readonly ConcurrentQueue<(ReceivedMessage Message, long Added)> _items = new();
    private int _count;
    private volatile bool _open;

    /// <summary>True while a local poller takes from this inbox and there is room.</summary>
    public bool Accepting => _open && Volatile.Read(ref _count) < limit;

    /// <summary>Starts accepting: the local poller for this queue is running.</summary>
    public void Open() => _open = true;

    /// <summary>Stops accepting and returns what was not taken, for the caller to release to the queue.</summary>
    public List<ReceivedMessage> Close()
    {
        _open = false;
        return Drain();
    }

    /// <summary>Adds a message; false when closed (the caller releases it to the queue).</summary>
    public bool TryAdd(ReceivedMessage message)
    {
        if (!_open)
        {
            return false;
        }

        Interlocked.Increment(ref _count);
        _items.Enqueue((message, Stopwatch.GetTimestamp()));
        return true;
    }

    /// <summary>
    /// Takes up to <paramref name="max"/> messages. Messages that waited longer than
    /// <paramref name="maxAge"/> go to <paramref name="stale"/>: their invisible copy may soon reappear,
    /// so the caller releases them to the queue rather than racing that copy.
    /// </summary>
    public List<ReceivedMessage> Take(int max, TimeSpan maxAge, List<ReceivedMessage> stale)
    {
        var taken = new List<ReceivedMessage>();
        while (taken.Count < max && _items.TryDequeue(out var item))
        {
            Interlocked.Decrement(ref _count);
            if (Stopwatch.GetElapsedTime(item.Added) > maxAge)
            {
                stale.Add(item.Message);
            }
            else
            {
                taken.Add(item.Message);
            }
        }

        return taken;
    }

    private List<ReceivedMessage> Drain()
    {
        var list = new List<ReceivedMessage>();
        while (_items.TryDequeue(out var item))
        {
            Interlocked.Decrement(ref _count);
            list.Add(item.Message);
        }

        return list;
    }
}
