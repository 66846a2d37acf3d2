using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace IntegrationHub.Hub.Tests.Support;

/// <summary>
/// A loopback TCP forwarder the test can cut, to drop a browser's connections for real
/// (Chromium's offline emulation leaves an open event stream alone).
/// </summary>
public sealed class TcpProxy : IAsyncDisposable
{
    readonly TcpListener listener = new(IPAddress.Loopback, 0);
    readonly Uri target;
    readonly ConcurrentDictionary<TcpClient, byte> open = new();
    readonly CancellationTokenSource stop = new();
    readonly Task acceptLoop;
    volatile bool down;

    public TcpProxy(Uri target)
    {
        this.target = target;
        listener.Start();
        acceptLoop = AcceptAsync();
    }

    public Uri Address => new($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/");

    /// <summary>Closes every open connection and refuses new ones until <see cref="Restore"/>.</summary>
    public void Cut()
    {
        down = true;
        foreach (var client in open.Keys) client.Dispose();
    }

    public void Restore() => down = false;

    async Task AcceptAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await listener.AcceptTcpClientAsync(stop.Token); }
            catch (OperationCanceledException) { return; }
            if (down)
            {
                client.Dispose();
                continue;
            }
            _ = PipeAsync(client);
        }
    }

    async Task PipeAsync(TcpClient client)
    {
        using var upstream = new TcpClient();
        open[client] = 0;
        open[upstream] = 0;
        try
        {
            await upstream.ConnectAsync(target.Host, target.Port);
            using var cancel = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
            var a = client.GetStream().CopyToAsync(upstream.GetStream(), cancel.Token);
            var b = upstream.GetStream().CopyToAsync(client.GetStream(), cancel.Token);
            await Task.WhenAny(a, b);
            await cancel.CancelAsync();
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException) { }
        finally
        {
            open.TryRemove(client, out _);
            open.TryRemove(upstream, out _);
            client.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        listener.Stop();
        Cut();
        await acceptLoop;
    }
}
