using System.Text.Json.Serialization;

namespace Serverless.Compute.AzureBatch.Models;

/// <summary>A task user's elevation (wire values <c>nonadmin</c>, <c>admin</c>).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<BatchElevationLevel>))]
public enum BatchElevationLevel
{
    /// <summary>A standard user.</summary>
    [JsonStringEnumMemberName("nonadmin")]
    NonAdmin,

    /// <summary>Root on Linux.</summary>
    [JsonStringEnumMemberName("admin")]
    Admin,
}
