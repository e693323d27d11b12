namespace Serverless.Pipelines.Expressions;

/// <summary>An expression is malformed, refers to something unknown, or mixes incompatible types.</summary>
public sealed class ExpressionException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="offset">0-based offset in the source text.</param>
    public ExpressionException(string message, int offset)
        : base(message)
    {
        Offset = offset;
    }

    /// <summary>0-based offset of the problem in the source text.</summary>
    public int Offset { get; }
}
