using System.Net;
using System.Net.Sockets;

namespace BertPlatform.TestSupport;

/// <summary>Loopback ports nobody listens on right now, so parallel test runs never collide.</summary>
public static class FreePorts
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static async Task WaitUntilListeningAsync(int port, TimeSpan timeout, Func<string> describeFailure, Func<bool>? gaveUp = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && gaveUp?.Invoke() != true)
            {
                await Task.Delay(100);
            }
            catch (SocketException e)
            {
                throw new TimeoutException($"Nothing listens on 127.0.0.1:{port} after {timeout.TotalSeconds:F0} s: {describeFailure()}", e);
            }
        }
    }
}
