namespace Serverless.Orchestration.Http;

/// <summary>
/// A request the management API refuses, with the HTTP status and the machine-readable code that the
/// JSON error body carries; the message names what was wrong and where.
/// </summary>
internal sealed class ManagementApiException(int statusCode, string code, string message) : Exception(message)
{
    /// <summary>The HTTP status to answer with.</summary>
    public int StatusCode { get; } = statusCode;

    /// <summary>The value of the error body's <c>code</c> field.</summary>
    public string Code { get; } = code;

    public static ManagementApiException BadParameter(string parameter, string problem) =>
        new(400, ManagementErrorCodes.InvalidParameter, $"Query parameter '{parameter}': {problem}");
}
