namespace Serverless.Testing;

/// <summary>Locates the repository from a test's output directory.</summary>
public static class RepoPaths
{
    private static readonly Lazy<string> s_root = new(() =>
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Serverless.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException(
            $"Serverless.sln not found above {AppContext.BaseDirectory}");
    });

    /// <summary>The repository root (the folder holding Serverless.sln).</summary>
    public static string Root => s_root.Value;

    /// <summary>The shared reference folder beside the repository (<c>../shared</c>), if present.</summary>
    public static string Shared => Path.GetFullPath(Path.Combine(Root, "..", "shared"));
}
