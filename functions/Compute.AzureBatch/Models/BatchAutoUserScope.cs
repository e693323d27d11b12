using System.Text.Json.Serialization;

namespace Serverless.Compute.AzureBatch.Models;

/// <summary>The scope of a task's auto-user (wire values <c>task</c>, <c>pool</c>).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<BatchAutoUserScope>))]
public enum BatchAutoUserScope
{
    /// <summary>A user per task.</summary>
    [JsonStringEnumMemberName("task")]
    Task,

    /// <summary>One user shared by the pool's tasks; what Linux containers needing root use.</summary>
    [JsonStringEnumMemberName("pool")]
    Pool,
}
