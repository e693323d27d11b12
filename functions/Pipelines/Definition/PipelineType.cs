namespace Serverless.Pipelines.Definition;

/// <summary>The types a parameter or a small step value can have.</summary>
public enum PipelineType
{
    /// <summary>Text.</summary>
    String,

    /// <summary>A 64-bit integer.</summary>
    Int,

    /// <summary>A double-precision number; integers are accepted where a number is expected.</summary>
    Number,

    /// <summary><c>true</c> or <c>false</c>.</summary>
    Bool,

    /// <summary>A list of scalar values.</summary>
    List,
}
