namespace Serverless.Pipelines.Orchestration;

/// <summary>A request about pipeline runs that cannot be served, with the API error code it maps to.</summary>
public sealed class PipelineRunException : Exception
{
    /// <summary>The code for <c>NOT_FOUND</c> (404).</summary>
    public const string NotFound = "NOT_FOUND";

    /// <summary>The code for <c>INVALID_ARGUMENT</c> (400).</summary>
    public const string InvalidArgument = "INVALID_ARGUMENT";

    /// <summary>The code for <c>CONFLICT</c> (409).</summary>
    public const string Conflict = "CONFLICT";

    /// <summary>Creates the exception.</summary>
    public PipelineRunException(string code, string message, IReadOnlyList<object>? details = null)
        : base(message)
    {
        Code = code;
        Details = details ?? [];
    }

    /// <summary>NOT_FOUND, INVALID_ARGUMENT or CONFLICT.</summary>
    public string Code { get; }

    /// <summary>Structured details, e.g. diagnostics <c>{file, line, column, message}</c>.</summary>
    public IReadOnlyList<object> Details { get; }
}
