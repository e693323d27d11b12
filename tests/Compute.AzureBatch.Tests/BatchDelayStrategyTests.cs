namespace Serverless.Compute.AzureBatch.Tests;

public sealed class BatchDelayStrategyTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 4)]
    [InlineData(4, 8)]
    [InlineData(5, 8)]
    [InlineData(30, 8)]
    public void GetNextDelay_NoServerHint_ExponentialCappedWithJitter(int retry, double expectedSeconds)
    {
        var strategy = new BatchDelayStrategy(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(8), TimeProvider.System);

        var delays = Enumerable.Range(0, 200).Select(_ => strategy.GetNextDelay(null, retry).TotalSeconds).ToList();

        Assert.All(delays, d => Assert.InRange(d, expectedSeconds * 0.8 - 1e-9, expectedSeconds * 1.2 + 1e-9));
        // Jittered: not all attempts of many clients retry at the same instant.
        Assert.True(delays.Distinct().Count() > 10);
    }
}
