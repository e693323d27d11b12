using System.Text.Json.Nodes;
using Serverless.Cli.Infrastructure;
using Serverless.Cli.Output;
using Spectre.Console;

namespace Serverless.Cli.Runs;

/// <summary>
/// Polls <c>GET /api/runs/{id}</c> until the run ends: a live table on a terminal, one line per change
/// otherwise (logs, CI), on stderr in JSON mode so stdout keeps only the final document.
/// </summary>
internal sealed class RunFollower
{
    private const int MaxConsecutiveFailures = 10;
    private readonly PlatformClient _client;
    private readonly CliOutput _output;
    private readonly TimeSpan _interval;

    /// <summary>Creates a follower.</summary>
    public RunFollower(PlatformClient client, CliOutput output, TimeSpan? interval = null)
    {
        _client = client;
        _output = output;
        _interval = interval ?? TimeSpan.FromSeconds(1);
    }

    /// <summary>Fetches the run once.</summary>
    public async Task<(RunView Run, JsonNode Document)> GetAsync(string runId, CancellationToken ct)
    {
        var document = await _client.GetAsync($"api/runs/{PlatformClient.Segment(runId)}", ct);
        return (RunView.From(document), document);
    }

    /// <summary>Follows until the run finishes; throws <see cref="OperationCanceledException"/> on Ctrl+C.</summary>
    /// <returns>The finished run and its document.</returns>
    public async Task<(RunView Run, JsonNode Document)> FollowAsync(string runId, CancellationToken ct)
    {
        if (_output.Interactive && !_output.IsJson)
        {
            return await FollowLiveAsync(runId, ct);
        }

        RunView? previous = null;
        while (true)
        {
            var (run, document) = await PollAsync(runId, ct);
            foreach (var line in RunRenderer.Transitions(previous, run, DateTimeOffset.UtcNow))
            {
                if (_output.IsJson)
                {
                    _output.Note(line);
                }
                else
                {
                    _output.Line(line);
                }
            }

            previous = run;
            if (run.IsFinished)
            {
                return (run, document);
            }

            await Task.Delay(_interval, ct);
        }
    }

    private async Task<(RunView Run, JsonNode Document)> FollowLiveAsync(string runId, CancellationToken ct)
    {
        var (run, document) = await PollAsync(runId, ct);
        await _output.Console.Live(Render(run)).AutoClear(false).StartAsync(async live =>
        {
            while (!run.IsFinished)
            {
                await Task.Delay(_interval, ct);
                (run, document) = await PollAsync(runId, ct);
                live.UpdateTarget(Render(run));
                live.Refresh();
            }
        });
        return (run, document);
    }

    private static Rows Render(RunView run) =>
        new Rows(
            new Text($"run {run.Id}  {run.Pipeline}  {run.Status}"),
            RunRenderer.StepsTable(run, DateTimeOffset.UtcNow));

    // A host restart or a proxy hiccup should not end a long follow; a server that stays away should.
    private async Task<(RunView Run, JsonNode Document)> PollAsync(string runId, CancellationToken ct)
    {
        for (var failures = 1; ; failures++)
        {
            try
            {
                return await GetAsync(runId, ct);
            }
            catch (CliException e) when (failures < MaxConsecutiveFailures && e.Message.StartsWith("cannot reach", StringComparison.Ordinal))
            {
                _output.Note($"{e.Message}; retrying");
                await Task.Delay(_interval * 2, ct);
            }
        }
    }
}
