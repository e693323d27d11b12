namespace Serverless.Compute.AzureBatch.Tests;

public sealed class BatchIdsTests
{
    [Fact]
    public void ForJob_ValidLowercaseName_KeptAsIs()
    {
        Assert.Equal("train-20261121-001", BatchIds.ForJob("train-20261121-001"));
    }

    [Theory]
    [InlineData("My Pipeline/run.1")]
    [InlineData("run:ä€")]
    [InlineData("Run-1")]
    [InlineData("a-very-long-pipeline-run-name-that-goes-on-and-on-and-on-beyond-the-sixty-four-character-limit")]
    public void ForJob_AnyText_ValidDeterministicId(string name)
    {
        var id = BatchIds.ForJob(name);

        Assert.InRange(id.Length, 1, BatchIds.MaxLength);
        Assert.All(id, c => Assert.True(char.IsAsciiLetterOrDigit(c) || c is '-' or '_', $"'{c}' in {id}"));
        Assert.Equal(id, BatchIds.ForJob(name));
    }

    [Fact]
    public void ForJob_NamesDifferingOnlyInReplacedCharactersOrCase_GetDifferentIds()
    {
        // Batch ids compare case-insensitively, and '.' and '/' both become '-': the hash keeps them apart.
        string[] names = ["run.1", "run/1", "run-1", "Run-1", "RUN-1"];
        var ids = names.Select(BatchIds.ForJob).ToList();

        Assert.Equal(ids.Count, ids.Select(i => i.ToLowerInvariant()).Distinct().Count());
    }

    [Fact]
    public void ForJob_LongNamesWithSamePrefix_DifferentIdsOfMaxLength()
    {
        var prefix = new string('x', 80);

        var a = BatchIds.ForJob(prefix + "a");
        var b = BatchIds.ForJob(prefix + "b");

        Assert.NotEqual(a, b);
        Assert.Equal(BatchIds.MaxLength, a.Length);
    }

    [Fact]
    public void ForTask_Attempts_DifferOnlyInSuffix()
    {
        Assert.Equal("train-a1", BatchIds.ForTask("train", 1));
        Assert.Equal("train-a2", BatchIds.ForTask("train", 2));
        var longName = BatchIds.ForTask(new string('s', 100), 12);
        Assert.EndsWith("-a12", longName, StringComparison.Ordinal);
        Assert.True(longName.Length <= BatchIds.MaxLength);
    }

    [Fact]
    public void ForJob_SameRunOnTwoPools_TwoStableJobs()
    {
        var gpu = BatchIds.ForJob("run-42", "gpu-pool");
        var cpu = BatchIds.ForJob("run-42", "cpu-pool");

        Assert.Equal("run-42--gpu-pool", gpu);
        Assert.NotEqual(gpu, cpu);
        Assert.Equal(gpu, BatchIds.ForJob("run-42", "gpu-pool"));
    }

    [Fact]
    public void ForTask_AttemptBelowOne_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => BatchIds.ForTask("train", 0));
    }
}
