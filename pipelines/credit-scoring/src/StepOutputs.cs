using System.Globalization;

namespace Serverless.CreditScoring;

/// <summary>
/// Writes a step's small value outputs where the platform reads them: one file per value in
/// <c>$SERVERLESS_OUTPUTS</c> (or <c>--outputs</c> when run by hand).
/// </summary>
internal sealed class StepOutputs(string directory)
{
    public string Directory { get; } = directory;

    public static StepOutputs From(StepArguments args) =>
        new(args.Optional("outputs") ?? Environment.GetEnvironmentVariable("SERVERLESS_OUTPUTS") ?? "outputs");

    public void Write(string name, double value) => WriteText(name, value.ToString("R", CultureInfo.InvariantCulture));

    public void Write(string name, long value) => WriteText(name, value.ToString(CultureInfo.InvariantCulture));

    public void Write(string name, bool value) => WriteText(name, value ? "true" : "false");

    public void Write(string name, string value) => WriteText(name, value);

    private void WriteText(string name, string text)
    {
        System.IO.Directory.CreateDirectory(Directory);
        File.WriteAllText(Path.Combine(Directory, name), text);
    }
}
