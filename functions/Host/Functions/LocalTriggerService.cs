using System.Text.Json;
using Azure.Storage.Queues.Models;
using Cronos;

namespace Serverless.Host.Functions;

/// <summary>
/// Local mode's stand-in for the Functions host: fires the catalog's timers on their schedules and reads
/// its trigger queues, calling the same <see cref="EngineTriggers"/> with the same payload shapes.
/// </summary>
internal sealed class LocalTriggerService(FunctionCatalog catalog, EngineTriggers triggers, WakePoster wake, FunctionsOptions options,
    ILogger<LocalTriggerService> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(catalog.Timers.Select(t => RunTimerAsync(t, stoppingToken))
            .Concat(catalog.Queues.Select(q => RunQueueAsync(q, stoppingToken))));

    private async Task RunTimerAsync(TimerFunction timer, CancellationToken stop)
    {
        var cron = CronExpression.Parse(timer.Schedule, CronFormat.IncludeSeconds);
        DateTimeOffset? last = null;
        while (!stop.IsCancellationRequested)
        {
            var next = cron.GetNextOccurrence(DateTimeOffset.UtcNow, TimeZoneInfo.Utc);
            if (next is null)
            {
                return;
            }

            try
            {
                await Task.Delay(next.Value - DateTimeOffset.UtcNow, stop);
                var payload = JsonSerializer.SerializeToElement(new
                {
                    Schedule = new { AdjustForDST = true },
                    ScheduleStatus = new { Last = last ?? next.Value, Next = cron.GetNextOccurrence(next.Value, TimeZoneInfo.Utc), LastUpdated = DateTimeOffset.UtcNow },
                    IsPastDue = false,
                });
                await InvokeAsync(timer.Name, new InvocationRequest { Data = { ["timer"] = payload } }, stop);
                last = next;
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // Like a failed timer invocation in Azure: logged, not retried; the next occurrence comes anyway.
                logger.LogWarning(ex, "Local trigger {Function} failed", timer.Name);
            }
        }
    }

    private async Task RunQueueAsync(QueueFunction function, CancellationToken stop)
    {
        var queue = wake.Queue.Name == function.QueueName ? wake.Queue : throw new InvalidOperationException($"no local reader for queue '{function.QueueName}'");
        while (!stop.IsCancellationRequested)
        {
            try
            {
                QueueMessage[] messages = (await queue.ReceiveMessagesAsync(1, options.MaxHold + TimeSpan.FromMinutes(1), stop)).Value;
                foreach (var m in messages)
                {
                    var request = new InvocationRequest
                    {
                        Data = { ["message"] = JsonSerializer.SerializeToElement(m.Body.ToString()) },
                        Metadata =
                        {
                            ["DequeueCount"] = JsonSerializer.SerializeToElement(m.DequeueCount),
                            ["Id"] = JsonSerializer.SerializeToElement(m.MessageId),
                        },
                    };
                    var response = await InvokeAsync(function.Name, request, stop);
                    if (function.OutputBinding is { } output && response?.Outputs.TryGetValue(output, out var text) == true && text is string body)
                    {
                        await queue.SendMessageAsync(body, stop);
                    }

                    // Like the Functions host: a successful invocation deletes the trigger message.
                    await queue.DeleteMessageAsync(m.MessageId, m.PopReceipt, stop);
                }

                if (messages.Length == 0)
                {
                    await Task.Delay(options.LocalQueuePollInterval, stop);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Local trigger {Function} failed; retrying", function.Name);
                await Task.Delay(options.LocalQueuePollInterval, stop);
            }
        }
    }

    private async Task<InvocationResponse?> InvokeAsync(string name, InvocationRequest request, CancellationToken stop)
    {
        var response = await triggers.InvokeAsync(name, request, stop);
        foreach (var line in response?.Logs ?? [])
        {
            logger.LogDebug("{Function}: {Line}", name, line);
        }

        return response;
    }
}
