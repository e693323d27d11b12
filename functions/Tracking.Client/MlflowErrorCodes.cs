namespace Serverless.Tracking.Client;

/// <summary>The MLflow error codes this platform produces and the client branches on.</summary>
public static class MlflowErrorCodes
{
    /// <summary>The named entity does not exist (HTTP 404).</summary>
    public const string ResourceDoesNotExist = "RESOURCE_DOES_NOT_EXIST";

    /// <summary>An entity with that name already exists (HTTP 400).</summary>
    public const string ResourceAlreadyExists = "RESOURCE_ALREADY_EXISTS";

    /// <summary>The request is malformed or breaks a rule (HTTP 400).</summary>
    public const string InvalidParameterValue = "INVALID_PARAMETER_VALUE";

    /// <summary>The operation is not allowed in the entity's current state (HTTP 400).</summary>
    public const string InvalidState = "INVALID_STATE";

    /// <summary>The route does not exist (HTTP 404).</summary>
    public const string EndpointNotFound = "ENDPOINT_NOT_FOUND";

    /// <summary>An unexpected server failure (HTTP 500).</summary>
    public const string InternalError = "INTERNAL_ERROR";
}
