using System.Net;
using System.Net.Sockets;

namespace Gdm.Tests.Api.Support;

/// <summary>A loopback TCP port that was free a moment ago (the OS picks it), for servers a test starts.</summary>
public static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
