using Serverless.Pipelines.Attempts;
using Serverless.Schedules.Running;

namespace Serverless.Schedules.Tests;

public sealed class ScheduleIdsTests
{
    private static readonly DateTime s_when = new(2026, 11, 23, 2, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void RunIds_ShortScheduleId_KeptReadable()
    {
        Assert.Equal("churn.nightly-20261123T020000Z", ScheduleIds.RunId("churn.nightly", s_when));
        Assert.StartsWith("churn.nightly-manual-20261123T020000Z-", ScheduleIds.ManualRunId("churn.nightly", s_when, Guid.NewGuid()), StringComparison.Ordinal);
    }

    [Fact]
    public void RunIds_LongestPipelineAndScheduleNames_ValidDistinctAndDeterministic()
    {
        // The longest names the parsers allow: a 63-character pipeline and a 40-character schedule.
        var a = ScheduleIds.ScheduleId("p" + new string('x', 62), "S" + new string('a', 39));
        var b = ScheduleIds.ScheduleId("p" + new string('x', 62), "S" + new string('a', 38) + "b");

        var ids = new[]
        {
            ScheduleIds.RunId(a, s_when), ScheduleIds.RunId(b, s_when),
            ScheduleIds.ManualRunId(a, s_when, Guid.NewGuid()), ScheduleIds.ManualRunId(b, s_when, Guid.NewGuid()),
        };

        Assert.All(ids, id => Assert.True(PipelineRunIds.IsValid(id), $"'{id}' ({id.Length} chars) is not a valid run id"));
        Assert.Equal(4, ids.Distinct().Count());
        Assert.Equal(ids[0], ScheduleIds.RunId(a, s_when));
        Assert.EndsWith("-20261123T020000Z", ids[0], StringComparison.Ordinal);
    }
}
