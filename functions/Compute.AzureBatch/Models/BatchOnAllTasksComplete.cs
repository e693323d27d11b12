using System.Text.Json.Serialization;

namespace Serverless.Compute.AzureBatch.Models;

/// <summary>What Batch does with a job once all its tasks are complete (wire values <c>noaction</c>, <c>terminatejob</c>).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<BatchOnAllTasksComplete>))]
public enum BatchOnAllTasksComplete
{
    /// <summary>Leave the job active; create jobs this way, because a job without tasks counts as complete.</summary>
    [JsonStringEnumMemberName("noaction")]
    NoAction,

    /// <summary>Terminate the job; set only after every task was added, and it cannot be switched back.</summary>
    [JsonStringEnumMemberName("terminatejob")]
    TerminateJob,
}
