namespace Serverless.Tracking;

/// <summary>Which lifecycle stages a search returns.</summary>
public enum ViewType
{
    /// <summary>Active entities only (the default).</summary>
    ActiveOnly,

    /// <summary>Deleted entities only.</summary>
    DeletedOnly,

    /// <summary>Both.</summary>
    All,
}
