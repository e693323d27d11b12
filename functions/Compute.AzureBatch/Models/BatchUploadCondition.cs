using System.Text.Json.Serialization;

namespace Serverless.Compute.AzureBatch.Models;

/// <summary>When an output file is uploaded (wire values <c>tasksuccess</c>, <c>taskfailure</c>, <c>taskcompletion</c>).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<BatchUploadCondition>))]
public enum BatchUploadCondition
{
    /// <summary>Only when the task exits with code 0: a step's outputs.</summary>
    [JsonStringEnumMemberName("tasksuccess")]
    TaskSuccess,

    /// <summary>Only when the task fails.</summary>
    [JsonStringEnumMemberName("taskfailure")]
    TaskFailure,

    /// <summary>Whatever the result: a step's logs.</summary>
    [JsonStringEnumMemberName("taskcompletion")]
    TaskCompletion,
}
