namespace Serverless.Tracking.Benchmarks;

/// <summary>CPU milliseconds used so far by the server and by Azurite.</summary>
internal readonly record struct CpuTime(double Server, double Azurite)
{
    public static CpuTime operator -(CpuTime a, CpuTime b) => new(a.Server - b.Server, a.Azurite - b.Azurite);
}
