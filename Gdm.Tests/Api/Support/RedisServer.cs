using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using StackExchange.Redis;

namespace Gdm.Tests.Api.Support;

/// <summary>
/// A redis-server process of the test's own (Debian package redis-server; .ci/run installs it): on a free loopback port,
/// with its data folder in a fresh temporary directory, no persistence. Disposing stops exactly this process and
/// deletes its folder.
/// </summary>
public sealed class RedisServer : IDisposable
{
    private readonly Process _process;
    private readonly string _folder;

    private RedisServer(Process process, string folder, int port)
    {
        _process = process;
        _folder = folder;
        Port = port;
    }

    public int Port { get; }

    public string ConnectionString => $"127.0.0.1:{Port}";

    /// <param name="port">A port to listen on (a test that restarts "the same" Redis); null: a free one.</param>
    public static RedisServer Start(int? port = null)
    {
        var executable = FindExecutable("redis-server")
            ?? throw new InvalidOperationException("redis-server is not installed: `apt-get install -y redis-server` (.ci/run does this)");
        var folder = Directory.CreateTempSubdirectory("gdm-redis-").FullName;
        var listening = port ?? FreePort.Next();
        var start = new ProcessStartInfo(executable)
        {
            ArgumentList =
            {
                "--port", listening.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--bind", "127.0.0.1",
                "--dir", folder,
                "--save", "",
                "--appendonly", "no",
                "--daemonize", "no",
                "--loglevel", "warning",
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new RedisServer(process, folder, listening);
        try
        {
            server.WaitUntilAnswering(TimeSpan.FromSeconds(20));
        }
        catch
        {
            server.Dispose();
            throw;
        }

        return server;
    }

    /// <summary>A new connection to this server (the caller disposes it).</summary>
    public ConnectionMultiplexer Connect() => ConnectionMultiplexer.Connect(ConnectionString);

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    // Polls a TCP connect plus PING until the server answers or the deadline passes (or the process died).
    private void WaitUntilAnswering(TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"redis-server exited with {_process.ExitCode} before answering on port {Port}");
            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, Port);
                using var stream = client.GetStream();
                stream.Write("PING\r\n"u8);
                var buffer = new byte[16];
                var read = stream.Read(buffer);
                if (read > 0 && buffer[0] == (byte)'+')
                    return;
            }
            catch (SocketException) when (deadline.Elapsed < timeout)
            {
            }
            catch (IOException) when (deadline.Elapsed < timeout)
            {
            }

            if (deadline.Elapsed >= timeout)
                throw new TimeoutException($"redis-server did not answer on port {Port} within {timeout.TotalSeconds:F0} s");
            Thread.Sleep(20);
        }
    }

    private static string? FindExecutable(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/usr/local/bin:/usr/sbin")
        .Split(Path.PathSeparator)
        .Append("/usr/bin")
        .Append("/usr/sbin")
        .Select(directory => Path.Combine(directory, name))
        .FirstOrDefault(File.Exists);
}
