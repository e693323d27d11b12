using System.Text;
using System.Text.Json;
using Azure;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;

namespace Serverless.Orchestration.AzureStorage;

/// <summary>
/// Sends and receives the hub's messages: one control queue per partition (orchestration events) and
/// one work-item queue (activity calls). Large bodies go to blobs; local sends wake local pollers.
/// </summary>
internal sealed class TaskHubQueues
{
    // Messages must outlive the 7-day default: a durable timer or an awaited event can wait for months.
    private static readonly TimeSpan s_forever = TimeSpan.FromSeconds(-1);

    private readonly TaskHubNames _names;
    private readonly TaskHubOptions _options;
    private readonly PayloadStore _payloads;
    private readonly PoisonStore _poison;
    private readonly WorkSignals _signals;

    public TaskHubQueues(QueueServiceClient service, TaskHubNames names, TaskHubOptions options, PayloadStore payloads, PoisonStore poison, WorkSignals signals)
    {
        _names = names;
        _options = options;
        _payloads = payloads;
        _poison = poison;
        _signals = signals;
        Control = names.ControlQueues.Select(service.GetQueueClient).ToArray();
        WorkItems = service.GetQueueClient(names.WorkItemQueue);
        LocalControl = names.ControlQueues.Select(_ => new LocalInbox(256)).ToArray();
        LocalWorkItems = new LocalInbox(Math.Max(1, options.MaxConcurrentActivities));
    }

    /// <summary>Hand-offs to this process's partition pollers; open while the partition is owned here.</summary>
    public LocalInbox[] LocalControl { get; }

    /// <summary>Hand-offs to this process's activity poller; open while it runs.</summary>
    public LocalInbox LocalWorkItems { get; }

    public QueueClient[] Control { get; }

    public QueueClient WorkItems { get; }

    public int PartitionOf(string instanceId) => _names.PartitionOf(instanceId);

    public async Task SendControlAsync(TaskMessage message, TimeSpan? delay, CancellationToken cancellationToken)
    {
        var partition = _names.PartitionOf(message.InstanceId);
        if (delay is null || delay <= TimeSpan.Zero)
        {
            await SendOrHandOffAsync(Control[partition], partition, LocalControl[partition], _options.ControlMessageVisibility, message, cancellationToken);
            _signals.Control[partition].Set();
        }
        else
        {
            await SendAsync(Control[partition], message, delay, cancellationToken);
        }
    }

    public async Task SendWorkItemAsync(TaskMessage message, CancellationToken cancellationToken)
    {
        await SendOrHandOffAsync(WorkItems, -1, LocalWorkItems, _options.ActivityMessageVisibility, message, cancellationToken);
        _signals.WorkItems.Set();
    }

    /// <summary>
    /// Sends a start whose instance row the caller writes next: the hand-off (or wake-up) happens only when the
    /// returned function is called, so the local poller never races the caller's own row write.
    /// </summary>
    public async Task<Func<Task>> SendControlHeldAsync(TaskMessage message, CancellationToken cancellationToken)
    {
        var partition = _names.PartitionOf(message.InstanceId);
        var inbox = LocalControl[partition];
        var held = await SendForHandOffAsync(Control[partition], partition, inbox, _options.ControlMessageVisibility, message, cancellationToken);
        return async () =>
        {
            if (held is not null)
            {
                await HandOffAsync(inbox, held);
            }

            _signals.Control[partition].Set();
        };
    }

    /// <summary>
    /// Sends a message; when this process polls that queue and has room, the copy is sent invisible and
    /// handed to the local poller with its pop receipt (see <see cref="LocalInbox"/>).
    /// </summary>
    private async Task SendOrHandOffAsync(QueueClient queue, int partition, LocalInbox inbox, TimeSpan visibility, TaskMessage message, CancellationToken cancellationToken)
    {
        if (await SendForHandOffAsync(queue, partition, inbox, visibility, message, cancellationToken) is { } held)
        {
            await HandOffAsync(inbox, held);
        }
    }

    /// <summary>Sends the message, invisible when it can be handed off locally; returns it as received in that case.</summary>
    private async Task<ReceivedMessage?> SendForHandOffAsync(QueueClient queue, int partition, LocalInbox inbox, TimeSpan visibility, TaskMessage message, CancellationToken cancellationToken)
    {
        if (!_options.LocalHandOff || !inbox.Accepting)
        {
            await SendAsync(queue, message, null, cancellationToken);
            return null;
        }

        var (receipt, sent) = await SendAsync(queue, message with { HandOffs = 1 }, visibility, cancellationToken);
        return new ReceivedMessage
        {
            Body = sent,
            Events = message.Events!,
            QueueMessageId = receipt.MessageId,
            PopReceipt = receipt.PopReceipt,
            DequeueCount = 1,
            Partition = partition,
        };
    }

    private async Task HandOffAsync(LocalInbox inbox, ReceivedMessage held)
    {
        if (!inbox.TryAdd(held))
        {
            // The poller stopped in the meantime: let any worker take it now rather than after the visibility.
            await ReleaseAsync([held]);
        }
    }

    /// <summary>
    /// Releases hand-offs that will not be processed here to the queue, visible at once. They were never
    /// delivered, so the hand-off no longer counts as a delivery.
    /// </summary>
    public async Task ReleaseAsync(IEnumerable<ReceivedMessage> messages)
    {
        foreach (var m in messages)
        {
            try
            {
                var text = JsonSerializer.Serialize(m.Body with { HandOffs = 0 }, DataConverter.Options);
                await QueueOf(m).UpdateMessageAsync(m.QueueMessageId, m.PopReceipt, text, TimeSpan.Zero, CancellationToken.None);
            }
            catch (RequestFailedException)
            {
                // The copy becomes visible when its visibility runs out anyway.
            }
        }
    }

    public Task<List<ReceivedMessage>> ReceiveControlAsync(int partition, int max, TimeSpan visibility, CancellationToken cancellationToken) =>
        ReceiveAsync(Control[partition], partition, max, visibility, cancellationToken);

    public Task<List<ReceivedMessage>> ReceiveWorkItemsAsync(int max, TimeSpan visibility, CancellationToken cancellationToken) =>
        ReceiveAsync(WorkItems, -1, max, visibility, cancellationToken);

    public QueueClient QueueOf(ReceivedMessage message) => message.Partition < 0 ? WorkItems : Control[message.Partition];

    public async Task DeleteAsync(ReceivedMessage message, CancellationToken cancellationToken)
    {
        try
        {
            await QueueOf(message).DeleteMessageAsync(message.QueueMessageId, message.PopReceipt, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // Already deleted, or its visibility ran out and another receive holds it now; the
            // duplicate check drops that delivery.
        }
    }

    public async Task AbandonAsync(ReceivedMessage message, TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await QueueOf(message).UpdateMessageAsync(message.QueueMessageId, message.PopReceipt, visibilityTimeout: delay, cancellationToken: cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // Gone already; nothing to release.
        }
    }

    public async Task<bool> RenewAsync(ReceivedMessage message, TimeSpan visibility, CancellationToken cancellationToken)
    {
        try
        {
            var receipt = await QueueOf(message).UpdateMessageAsync(message.QueueMessageId, message.PopReceipt, visibilityTimeout: visibility, cancellationToken: cancellationToken);
            message.PopReceipt = receipt.Value.PopReceipt;
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return false;
        }
    }

    private async Task<(SendReceipt Receipt, TaskMessage Sent)> SendAsync(QueueClient queue, TaskMessage message, TimeSpan? delay, CancellationToken cancellationToken)
    {
        var text = JsonSerializer.Serialize(message, DataConverter.Options);
        if (Encoding.UTF8.GetByteCount(text) > PayloadStore.QueueThresholdBytes)
        {
            var blob = await _payloads.UploadAsync(message.InstanceId, "message",
                JsonSerializer.Serialize(message.Events, DataConverter.Options), cancellationToken);
            message = message with { Events = null, EventsBlob = blob };
            text = JsonSerializer.Serialize(message, DataConverter.Options);
        }

        var visibility = delay is { } d && d > TimeSpan.Zero ? d : (TimeSpan?)null;
        SendReceipt receipt = await queue.SendMessageAsync(text, visibility, s_forever, cancellationToken);
        return (receipt, message);
    }

    private async Task<List<ReceivedMessage>> ReceiveAsync(QueueClient queue, int partition, int max, TimeSpan? visibility, CancellationToken cancellationToken)
    {
        QueueMessage[] raw = (await queue.ReceiveMessagesAsync(Math.Clamp(max, 1, 32), visibility, cancellationToken)).Value;
        var list = new List<ReceivedMessage>(raw.Length);
        foreach (var m in raw)
        {
            TaskMessage? body = null;
            List<HistoryEvent>? events = null;
            string? problem = null;
            try
            {
                body = JsonSerializer.Deserialize<TaskMessage>(m.Body.ToString(), DataConverter.Options);
                if (body?.EventsBlob is { } blob)
                {
                    events = JsonSerializer.Deserialize<List<HistoryEvent>>(await _payloads.DownloadAsync(blob, cancellationToken), DataConverter.Options);
                }
                else
                {
                    events = body?.Events;
                }

                if (body is null || events is null || events.Count == 0 || InstanceIds.GetProblem(body.InstanceId) is { } bad)
                {
                    problem = "the message has no instance id or no events";
                }
            }
            catch (JsonException ex)
            {
                problem = $"the message is not valid JSON: {ex.Message}";
            }
            catch (RequestFailedException ex) when (ex.Status == 404)
            {
                problem = $"the message's payload blob is missing: {ex.Message}";
            }

            if (problem is not null)
            {
                // Unreadable messages can never succeed: move them aside at once instead of retrying.
                await _poison.RecordAsync(queue.Name, body?.InstanceId, m.Body.ToString(), m.DequeueCount, problem, cancellationToken);
                await queue.DeleteMessageAsync(m.MessageId, m.PopReceipt, cancellationToken);
                continue;
            }

            list.Add(new ReceivedMessage
            {
                Body = body!,
                Events = events!,
                QueueMessageId = m.MessageId,
                PopReceipt = m.PopReceipt,
                DequeueCount = m.DequeueCount + body!.HandOffs,
                Partition = partition,
            });
        }

        return list;
    }
}
