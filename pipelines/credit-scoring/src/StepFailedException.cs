namespace Serverless.CreditScoring;

/// <summary>A step cannot go on; the message is printed to stderr and the program exits with code 2.</summary>
internal sealed class StepFailedException(string message) : Exception(message);
