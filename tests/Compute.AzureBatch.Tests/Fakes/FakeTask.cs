using System.Globalization;
using System.Text.Json.Nodes;

namespace Serverless.Compute.AzureBatch.Tests.Fakes;

/// <summary>A task and its scripted states.</summary>
internal sealed class FakeTask
{
    private readonly Lock _gate = new();
    private readonly Queue<TaskPhase> _script = new([new TaskPhase("active")]);
    private TaskPhase _current = new("active");
    private DateTimeOffset _created;

    private bool _uploaded;

    public JsonObject? Spec { get; private set; }

    public int CreateCount { get; private set; }

    public int TerminateCount { get; private set; }

    public bool TryMarkUploaded()
    {
        lock (_gate)
        {
            var first = !_uploaded;
            _uploaded = true;
            return first;
        }
    }

    public void SetScript(TaskPhase[] phases)
    {
        lock (_gate)
        {
            _script.Clear();
            foreach (var phase in phases)
            {
                _script.Enqueue(phase);
            }
        }
    }

    public bool TryCreate(JsonObject spec)
    {
        lock (_gate)
        {
            if (Spec is not null)
            {
                return false;
            }

            Spec = spec;
            CreateCount++;
            _created = DateTimeOffset.UtcNow;
            return true;
        }
    }

    public bool Terminate()
    {
        lock (_gate)
        {
            if (_current.State == "completed")
            {
                return false;
            }

            TerminateCount++;
            _script.Clear();
            _current = new TaskPhase("completed", "failure", -1, "usererror", "TaskEnded", "Task Was Ended by User Request", RanFor: TimeSpan.FromSeconds(3));
            return true;
        }
    }

    public JsonObject Next(Uri url, string jobId)
    {
        lock (_gate)
        {
            if (_script.TryDequeue(out var phase))
            {
                _current = phase;
            }

            return Render(url, jobId, _current);
        }
    }

    private JsonObject Render(Uri url, string jobId, TaskPhase phase)
    {
        var id = Spec!["id"]!.GetValue<string>();
        // Batch echoes the constraints with its defaults filled in.
        var constraints = new JsonObject
        {
            ["maxWallClockTime"] = Spec["constraints"]?["maxWallClockTime"]?.GetValue<string>() ?? "P10675199DT2H48M5.4775807S",
            ["retentionTime"] = Spec["constraints"]?["retentionTime"]?.GetValue<string>() ?? "P7D",
            ["maxTaskRetryCount"] = Spec["constraints"]?["maxTaskRetryCount"]?.GetValue<int>() ?? 0,
        };
        var task = new JsonObject
        {
            ["odata.metadata"] = $"{url}$metadata#tasks/@Element",
            ["id"] = id,
            ["url"] = $"{url}jobs/{jobId}/tasks/{id}",
            ["eTag"] = "0x8D0003",
            ["creationTime"] = _created.ToString("O", CultureInfo.InvariantCulture),
            ["state"] = phase.State,
            ["stateTransitionTime"] = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture),
            ["commandLine"] = Spec["commandLine"]!.GetValue<string>(),
            ["constraints"] = constraints,
        };
        if (phase.State != "active" || phase.RequeueCount > 0 || phase.RetryCount > 0)
        {
            var start = _created.AddSeconds(1);
            var info = new JsonObject
            {
                ["startTime"] = start.ToString("O", CultureInfo.InvariantCulture),
                ["retryCount"] = phase.RetryCount,
                ["requeueCount"] = phase.RequeueCount,
            };
            if (phase.State == "completed")
            {
                info["endTime"] = (start + (phase.RanFor ?? TimeSpan.FromSeconds(5))).ToString("O", CultureInfo.InvariantCulture);
                info["exitCode"] = phase.ExitCode;
                info["result"] = phase.Result;
                if (phase.Code is not null)
                {
                    info["failureInfo"] = new JsonObject
                    {
                        ["category"] = phase.Category,
                        ["code"] = phase.Code,
                        ["message"] = phase.Message,
                        ["details"] = new JsonArray(),
                    };
                }
            }

            task["executionInfo"] = info;
            task["nodeInfo"] = new JsonObject
            {
                ["poolId"] = "gpu-pool",
                ["nodeId"] = "tvmps_0001",
                ["taskRootDirectoryUrl"] = $"{url}pools/gpu-pool/nodes/tvmps_0001/files/workitems/{jobId}/job-1/{id}",
            };
        }

        return task;
    }
}
