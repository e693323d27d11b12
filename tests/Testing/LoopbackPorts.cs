using System.Net;
using System.Net.Sockets;

namespace Serverless.Testing;

/// <summary>Finds free TCP ports on the loopback interface for hosts started by tests.</summary>
public static class LoopbackPorts
{
    /// <summary>Returns a port that was free a moment ago.</summary>
    public static int GetFree()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
