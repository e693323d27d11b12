namespace Serverless.Host.Functions;

/// <summary>Whether this process runs under the Azure Functions host as a custom handler.</summary>
public static class CustomHandlerEnvironment
{
    /// <summary>The variable the Functions host sets to the port the handler must listen on.</summary>
    public const string PortVariable = "FUNCTIONS_CUSTOMHANDLER_PORT";

    /// <summary>True when the Functions host started this process (it set <see cref="PortVariable"/>).</summary>
    public static bool IsActive => Environment.GetEnvironmentVariable(PortVariable) is { Length: > 0 };
}
