using System.Diagnostics;
using System.Text.Json;

namespace Serverless.Host.Functions;

/// <summary>
/// The code behind the catalog's timer and queue functions, whoever invokes it: the Functions host
/// (POST /{name}) or, locally, <see cref="LocalTriggerService"/>.
/// </summary>
/// <remarks>
/// The engine's pollers run in this process all the time, like DTFx inside a Functions app; these
/// functions do not move engine messages. They exist for the platform's sake: an invocation brings an
/// instance up (timer: at least every minute; queue: when a wake message waits), and an invocation held
/// open while the engine has work keeps that instance from being scaled in.
/// </remarks>
internal sealed class EngineTriggers(EngineWorkProbe probe, FunctionsOptions options, ILogger<EngineTriggers> logger)
{
    /// <summary>Runs function <paramref name="name"/>; null when the catalog has no such trigger.</summary>
    public async Task<InvocationResponse?> InvokeAsync(string name, InvocationRequest request, CancellationToken cancellationToken)
    {
        var response = new InvocationResponse();
        switch (name)
        {
            case FunctionCatalog.EngineTick:
                if (request.Data.TryGetValue("timer", out var timer) && timer.ValueKind == JsonValueKind.Object &&
                    timer.TryGetProperty("IsPastDue", out var pastDue) && pastDue.ValueKind == JsonValueKind.True)
                {
                    response.Logs.Add("EngineTick: the tick is past due (the app was idle or starting)");
                }

                await HoldWhileBusyAsync(name, response, cancellationToken);
                return response;

            case FunctionCatalog.EngineWake:
                var remaining = await HoldWhileBusyAsync(name, response, cancellationToken);
                if (remaining)
                {
                    // Still busy: answer with a new wake message so the queue keeps signalling until the work is done.
                    response.Outputs[FunctionCatalog.WakeOutput] = new WakeMessage("work-remaining", DateTimeOffset.UtcNow).ToJson();
                }

                return response;

            default:
                return null;
        }
    }

    private async Task<bool> HoldWhileBusyAsync(string name, InvocationResponse response, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var busy = await probe.HasWorkAsync(cancellationToken);
        while (busy && Stopwatch.GetElapsedTime(started) + options.ProbeInterval < options.MaxHold)
        {
            await Task.Delay(options.ProbeInterval, cancellationToken);
            busy = await probe.HasWorkAsync(cancellationToken);
        }

        var held = Stopwatch.GetElapsedTime(started);
        response.Logs.Add($"{name}: held {held.TotalSeconds:F1} s; engine work remaining: {(busy ? "yes" : "no")}");
        response.ReturnValue = new Dictionary<string, object> { ["heldSeconds"] = Math.Round(held.TotalSeconds, 1), ["workRemaining"] = busy };
        logger.LogInformation("{Function} held {Seconds:F1} s, work remaining {Busy}", name, held.TotalSeconds, busy);
        return busy;
    }
}
