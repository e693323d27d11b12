using System.Net;

namespace Serverless.Tracking.Client;

/// <summary>An error response from an MLflow-compatible server.</summary>
public sealed class MlflowException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="errorCode">MLflow error code, e.g. <see cref="MlflowErrorCodes.ResourceDoesNotExist"/>.</param>
    /// <param name="message">The server's message.</param>
    /// <param name="statusCode">HTTP status of the response.</param>
    public MlflowException(string errorCode, string message, HttpStatusCode statusCode)
        : base($"{errorCode}: {message}")
    {
        ErrorCode = errorCode;
        StatusCode = statusCode;
        ServerMessage = message;
    }

    /// <summary>The MLflow error code.</summary>
    public string ErrorCode { get; }

    /// <summary>The HTTP status code.</summary>
    public HttpStatusCode StatusCode { get; }

    /// <summary>The message the server gave, without the code prefix.</summary>
    public string ServerMessage { get; }
}
