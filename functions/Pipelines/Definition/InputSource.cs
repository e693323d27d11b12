namespace Serverless.Pipelines.Definition;

/// <summary>Where a step input comes from.</summary>
public enum InputSource
{
    /// <summary>An output of another step: <c>${{ steps.S.outputs.O }}</c> (artifact or value, as that output is).</summary>
    StepOutput,

    /// <summary>An external artifact named by a URI template (<c>package:</c>, <c>file:</c>, <c>blob:</c> or a package-relative path).</summary>
    Uri,

    /// <summary>A small typed value (literal or expression).</summary>
    Value,
}
