using System.Net;
using Serverless.Tracking.Client;

namespace Serverless.Tracking;

/// <summary>A tracking operation failed for a reason the caller can act on; carries the MLflow error code.</summary>
public sealed class TrackingException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TrackingException(string errorCode, string message)
        : base(message)
    {
        ErrorCode = errorCode;
    }

    /// <summary>The MLflow error code (see <see cref="MlflowErrorCodes"/>).</summary>
    public string ErrorCode { get; }

    /// <summary>The HTTP status MLflow uses for <see cref="ErrorCode"/>.</summary>
    public HttpStatusCode StatusCode => ErrorCode switch
    {
        MlflowErrorCodes.ResourceDoesNotExist or MlflowErrorCodes.EndpointNotFound => HttpStatusCode.NotFound,
        MlflowErrorCodes.InternalError => HttpStatusCode.InternalServerError,
        _ => HttpStatusCode.BadRequest,
    };

    /// <summary>RESOURCE_DOES_NOT_EXIST.</summary>
    public static TrackingException NotFound(string message) => new(MlflowErrorCodes.ResourceDoesNotExist, message);

    /// <summary>RESOURCE_ALREADY_EXISTS.</summary>
    public static TrackingException AlreadyExists(string message) => new(MlflowErrorCodes.ResourceAlreadyExists, message);

    /// <summary>INVALID_PARAMETER_VALUE.</summary>
    public static TrackingException Invalid(string message) => new(MlflowErrorCodes.InvalidParameterValue, message);
}
