namespace Serverless.Tracking;

/// <summary>MLflow lifecycle stage names.</summary>
public static class LifecycleStage
{
    /// <summary>In use.</summary>
    public const string Active = "active";

    /// <summary>Soft-deleted; can be restored.</summary>
    public const string Deleted = "deleted";

    /// <summary>Whether <paramref name="stage"/> is visible under <paramref name="view"/>.</summary>
    public static bool Matches(string? stage, ViewType view) => view switch
    {
        ViewType.ActiveOnly => stage != Deleted,
        ViewType.DeletedOnly => stage == Deleted,
        _ => true,
    };
}
