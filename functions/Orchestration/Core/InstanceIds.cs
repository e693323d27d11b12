namespace Serverless.Orchestration;

/// <summary>
/// Rules for instance ids. They become table partition keys and blob name prefixes, so the characters
/// those forbid are refused up front rather than escaped.
/// </summary>
public static class InstanceIds
{
    /// <summary>Longest accepted id.</summary>
    public const int MaxLength = 256;

    /// <summary>Returns why <paramref name="instanceId"/> is not acceptable, or null when it is.</summary>
    public static string? GetProblem(string? instanceId)
    {
        if (string.IsNullOrWhiteSpace(instanceId))
        {
            return "instance id must not be empty";
        }

        if (instanceId.Length > MaxLength)
        {
            return $"instance id is {instanceId.Length} characters long; at most {MaxLength} are allowed";
        }

        foreach (var c in instanceId)
        {
            if (c is '/' or '\\' or '#' or '?' || char.IsControl(c))
            {
                return $"instance id '{instanceId}' contains '{(char.IsControl(c) ? $"\\u{(int)c:X4}" : c.ToString())}'; " +
                       "'/', '\\', '#', '?' and control characters are not allowed";
            }
        }

        return null;
    }

    /// <summary>Throws <see cref="ArgumentException"/> when the id is not acceptable.</summary>
    public static void Validate(string? instanceId)
    {
        if (GetProblem(instanceId) is { } problem)
        {
            throw new ArgumentException(problem, nameof(instanceId));
        }
    }
}
