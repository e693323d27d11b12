namespace Serverless.Host.Functions;

/// <summary>A timer-triggered function: the Functions host POSTs <c>/{Name}</c> on each occurrence of <see cref="Schedule"/>.</summary>
/// <param name="Name">The function (folder) name and invocation path.</param>
/// <param name="Schedule">Six-field NCRONTAB (<c>second minute hour day month day-of-week</c>), UTC.</param>
public sealed record TimerFunction(string Name, string Schedule);
