using System.Text.Json.Serialization;

namespace Serverless.Orchestration.Http;

/// <summary>Source-generated serialization for the 202 payload, so the API works in trimmed hosts too.</summary>
[JsonSerializable(typeof(HttpManagementPayload))]
internal sealed partial class PayloadJsonContext : JsonSerializerContext;
