using System.Runtime.InteropServices;

namespace Serverless.Pipelines.Execution;

/// <summary>Signals a whole process group, so a step's children and grandchildren go with it.</summary>
public static partial class ProcessGroup
{
    /// <summary>SIGTERM: asks the processes to stop.</summary>
    public const int SigTerm = 15;

    /// <summary>SIGKILL: stops the processes at once.</summary>
    public const int SigKill = 9;

    /// <summary>Sends <paramref name="signal"/> to every process in group <paramref name="groupId"/>; false if none is left.</summary>
    public static bool Signal(int groupId, int signal) => NativeMethods.Kill(-groupId, signal) == 0;

    /// <summary>True while any process of the group exists (signal 0 checks without sending).</summary>
    public static bool Exists(int groupId) => NativeMethods.Kill(-groupId, 0) == 0;

    private static class NativeMethods
    {
        [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int Kill(int pid, int sig);
    }
}
