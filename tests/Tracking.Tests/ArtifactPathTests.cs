using Serverless.Tracking.Client;

namespace Serverless.Tracking.Tests;

public sealed class ArtifactPathTests
{
    [Theory]
    [InlineData("1/abc/artifacts/model/MLmodel", "1/abc/artifacts/model/MLmodel")]
    [InlineData("1/abc/artifacts/dir/", "1/abc/artifacts/dir")]
    [InlineData("1/abc/artifacts/100% real.txt", "1/abc/artifacts/100% real.txt")]
    public void Validate_AcceptsPlainRelativePaths(string path, string expected)
    {
        Assert.Equal(expected, ArtifactPath.Validate(path));
    }

    [Theory]
    [InlineData("")]
    [InlineData("../x")]
    [InlineData("a/../../x")]
    [InlineData("a/./x")]
    [InlineData("a//x")]
    [InlineData("/etc/passwd")]
    [InlineData("C:/x")]
    [InlineData("a\\..\\x")]
    [InlineData("a/%2e%2e/x")]
    [InlineData("a/\u0000x")]
    [InlineData("a/\nx")]
    public void Validate_RejectsUnsafePaths(string path)
    {
        var error = Assert.Throws<TrackingException>(() => ArtifactPath.Validate(path));

        Assert.Equal(MlflowErrorCodes.InvalidParameterValue, error.ErrorCode);
    }

    [Fact]
    public void Validate_RejectsOverlongPaths()
    {
        Assert.Throws<TrackingException>(() => ArtifactPath.Validate(new string('a', ArtifactPath.MaxLength + 1)));
    }

    [Theory]
    [InlineData("plain-name_1.0")]
    [InlineData("with/slash#hash?q\\back")]
    [InlineData("ünïcödé 名前")]
    [InlineData("'quote' and \"double\"")]
    public void KeyEncoding_ProducesTableSafeKeys(string name)
    {
        var key = KeyEncoding.Encode(name);

        Assert.All(key, c => Assert.True(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '!', $"unexpected '{c}' in {key}"));
    }

    [Fact]
    public void KeyEncoding_IsInjectiveForShortNames_AndBoundedForLongOnes()
    {
        Assert.NotEqual(KeyEncoding.Encode("a/b"), KeyEncoding.Encode("a!2Fb"));
        var longA = new string('x', 2000) + "a";
        var longB = new string('x', 2000) + "b";
        Assert.NotEqual(KeyEncoding.Encode(longA), KeyEncoding.Encode(longB));
        Assert.True(KeyEncoding.Encode(longA).Length <= 700);
    }
}
