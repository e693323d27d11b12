namespace Serverless.Compute.AzureBatch;

/// <summary>
/// A Batch request that failed, with Batch's own error code and message (from the error body
/// <c>{"code", "message": {"value"}, "values": [{"key","value"}]}</c>).
/// </summary>
public sealed class BatchException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="status">The HTTP status, 0 when no response arrived.</param>
    /// <param name="errorCode">Batch's error code, e.g. <c>JobNotFound</c>; null when the body had none.</param>
    /// <param name="errorMessage">Batch's message, or a description of the HTTP failure.</param>
    /// <param name="details">The <c>values</c> key/value details.</param>
    /// <param name="requestId">The <c>request-id</c> response header, to quote in support tickets.</param>
    /// <param name="operation">What was attempted, e.g. <c>POST /jobs/run-1/tasks</c>.</param>
    /// <param name="innerException">The underlying exception, if any.</param>
    public BatchException(
        int status,
        string? errorCode,
        string errorMessage,
        IReadOnlyDictionary<string, string> details,
        string? requestId,
        string operation,
        Exception? innerException = null)
        : base(Describe(status, errorCode, errorMessage, details, operation), innerException)
    {
        Status = status;
        ErrorCode = errorCode;
        ErrorMessage = errorMessage;
        Details = details;
        RequestId = requestId;
        Operation = operation;
    }

    /// <summary>The HTTP status, 0 when no response arrived.</summary>
    public int Status { get; }

    /// <summary>Batch's error code (see <see cref="BatchErrorCodes"/>), null when the body had none.</summary>
    public string? ErrorCode { get; }

    /// <summary>Batch's message text.</summary>
    public string ErrorMessage { get; }

    /// <summary>The error body's <c>values</c>, e.g. which property was invalid.</summary>
    public IReadOnlyDictionary<string, string> Details { get; }

    /// <summary>The <c>request-id</c> response header.</summary>
    public string? RequestId { get; }

    /// <summary>The request that failed, as <c>METHOD path</c>.</summary>
    public string Operation { get; }

    private static string Describe(
        int status, string? code, string message, IReadOnlyDictionary<string, string> details, string operation)
    {
        var text = $"Azure Batch {operation} failed with {status}{(code is null ? string.Empty : " " + code)}: {message}";
        if (details.Count > 0)
        {
            text += " (" + string.Join(", ", details.Select(d => $"{d.Key}={d.Value}")) + ")";
        }

        return text;
    }
}
