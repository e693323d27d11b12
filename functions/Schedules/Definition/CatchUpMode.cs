namespace Serverless.Schedules.Definition;

/// <summary>Which occurrences missed while no host was running are started when one comes back.</summary>
public enum CatchUpMode
{
    /// <summary>None: missed occurrences are dropped; only an occurrence within the grace period still fires.</summary>
    None,

    /// <summary>Only the most recent missed occurrence fires.</summary>
    Latest,

    /// <summary>Every missed occurrence within the window fires, oldest first.</summary>
    All,
}
