namespace Serverless.Tracking.Search;

/// <summary>What the left-hand side of a filter clause or order-by names.</summary>
public enum FilterEntityKind
{
    /// <summary>An attribute of the entity itself (<c>attributes.status</c>, or bare <c>name</c>).</summary>
    Attribute,

    /// <summary>A run's latest metric value (<c>metrics.acc</c>).</summary>
    Metric,

    /// <summary>A run parameter (<c>params.lr</c>).</summary>
    Param,

    /// <summary>A tag (<c>tags.team</c>).</summary>
    Tag,
}
