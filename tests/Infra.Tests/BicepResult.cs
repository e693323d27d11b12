namespace Serverless.Infra.Tests;

/// <summary>What one bicep invocation printed and returned.</summary>
internal sealed record BicepResult(int ExitCode, string StandardOutput, string StandardError, string Command)
{
    public override string ToString() =>
        $"{Command} exited {ExitCode}\n--- stdout ---\n{Truncate(StandardOutput)}\n--- stderr ---\n{StandardError}";

    private static string Truncate(string text) => text.Length > 4000 ? text[..4000] + "…" : text;
}
