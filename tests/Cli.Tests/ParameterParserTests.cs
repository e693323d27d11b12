using System.Text.Json.Nodes;
using Serverless.Cli.Infrastructure;
using Serverless.Cli.Runs;
using Serverless.Pipelines.Parsing;

namespace Serverless.Cli.Tests;

public class ParameterParserTests
{
    private static readonly Serverless.Pipelines.Definition.PipelineDefinition s_definition = PipelineParser.Parse("""
        name: typed
        parameters:
          lr: { type: number, default: 0.1 }
          epochs: { type: int, default: 3 }
          tag: { type: string, default: x }
          fast: { type: bool, default: false }
          layers: { type: list, default: [1] }
        steps:
          a:
            command: "true"
        """, "pipeline.yaml").GetDefinitionOrThrow();

    [Fact]
    public void ToJson_WithDefinition_TypesEachValueAsDeclared()
    {
        var json = ParameterParser.ToJson(["lr=1e-3", "epochs=10", "tag=007", "fast=TRUE", "layers=[64, 32]"], s_definition);

        Assert.Equal(0.001, json["lr"]!.GetValue<double>());
        Assert.Equal(10, json["epochs"]!.GetValue<long>());
        Assert.Equal("007", json["tag"]!.GetValue<string>());
        Assert.True(json["fast"]!.GetValue<bool>());
        Assert.Equal("[64,32]", json["layers"]!.ToJsonString());
    }

    [Fact]
    public void ToJson_WithoutDefinition_SendsTextForTheServerToType()
    {
        var json = ParameterParser.ToJson(["epochs=10", "note=a=b", "empty="]);

        Assert.Equal("""{"epochs":"10","note":"a=b","empty":""}""", json.ToJsonString());
    }

    [Theory]
    [InlineData("epochs=ten", "-p epochs: parameter 'epochs' is an int, but got 'ten'")]
    [InlineData("fast=yes", "-p fast: parameter 'fast' is a bool (true or false), but got 'yes'")]
    [InlineData("nope=1", "-p nope: pipeline 'typed' has no parameter 'nope' (it declares: lr, epochs, tag, fast, layers)")]
    [InlineData("novalue", "-p 'novalue': expected key=value, e.g. -p learning_rate=0.1")]
    [InlineData("=1", "-p '=1': expected key=value, e.g. -p learning_rate=0.1")]
    public void ToJson_BadAssignment_UsageErrorNamingTheParameter(string assignment, string message)
    {
        var e = Assert.Throws<CliException>(() => ParameterParser.ToJson([assignment], s_definition));

        Assert.Equal(message, e.Message);
        Assert.Equal(ExitCodes.Usage, e.ExitCode);
    }

    [Fact]
    public void Split_RepeatedKey_IsRefused()
    {
        var e = Assert.Throws<CliException>(() => ParameterParser.Split(["a=1", "a=2"]));

        Assert.Equal("-p a: given more than once", e.Message);
    }

    [Fact]
    public void ToJson_NoAssignments_EmptyObject()
    {
        Assert.Equal(new JsonObject().ToJsonString(), ParameterParser.ToJson(null).ToJsonString());
    }
}
