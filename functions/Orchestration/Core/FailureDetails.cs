namespace Serverless.Orchestration;

/// <summary>Why an activity, a sub-orchestration or an orchestration failed.</summary>
/// <param name="ErrorType">The exception type name, or an engine error kind such as <c>NonDeterminism</c> or <c>PoisonMessage</c>.</param>
/// <param name="Message">The error message.</param>
/// <param name="StackTrace">The stack trace where one exists.</param>
/// <param name="Inner">The inner failure, if any.</param>
public sealed record FailureDetails(string ErrorType, string Message, string? StackTrace = null, FailureDetails? Inner = null)
{
    /// <summary>Builds failure details from an exception, including inner exceptions.</summary>
    public static FailureDetails FromException(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception switch
        {
            TaskFailedException tf => new(tf.GetType().Name, tf.Message, tf.StackTrace, tf.Failure),
            _ => new(exception.GetType().FullName ?? exception.GetType().Name, exception.Message, exception.StackTrace,
                exception.InnerException is { } inner ? FromException(inner) : null),
        };
    }

    /// <inheritdoc />
    public override string ToString() => $"{ErrorType}: {Message}";
}
