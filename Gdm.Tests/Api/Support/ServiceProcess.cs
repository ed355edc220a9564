using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Gdm.Tests.Api.Support;

/// <summary>
/// The built service (Gdm.Api.dll of this configuration) as a real process on a free loopback port, with settings as
/// command-line arguments. Kill is kill -9; Terminate is SIGTERM (a graceful stop). Disposing kills it if it still
/// runs. Its console output is kept for failure messages.
/// </summary>
public sealed class ServiceProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ServiceProcess(Process process, int port, string name)
    {
        _process = process;
        Port = port;
        Name = name;
        Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(60) };
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Port { get; }

    public string Name { get; }

    public HttpClient Client { get; }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public string Output
    {
        get
        {
            lock (_output)
                return _output.ToString();
        }
    }

    public static ServiceProcess Start(string name, IReadOnlyDictionary<string, string> settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var dll = ServiceDll();
        var port = FreePort.Next();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");
        foreach (var (key, value) in settings)
            start.ArgumentList.Add($"--{key}={value}");
        start.Environment["DOTNET_ENVIRONMENT"] = "Testing";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        return new ServiceProcess(Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start"), port, name);
    }

    /// <summary>Polls /health/ready until it answers 200 (models loaded), the process dies, or the deadline passes.</summary>
    public async Task WaitUntilReadyAsync(TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"{Name} exited with {_process.ExitCode} before it was ready:\n{Output}");
            try
            {
                using var response = await Client.GetAsync("/health/ready");
                if (response.IsSuccessStatusCode)
                    return;
            }
            catch (HttpRequestException)
            {
            }

            if (deadline.Elapsed > timeout)
                throw new TimeoutException($"{Name} was not ready within {timeout.TotalSeconds:F0} s:\n{Output}");
            await Task.Delay(50);
        }
    }

    /// <summary>kill -9: the process ends at once, with no chance to clean up.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
            _process.Kill(entireProcessTree: true);
        _process.WaitForExit(10_000);
    }

    /// <summary>SIGTERM, as Kubernetes and docker stop send it.</summary>
    public void Terminate()
    {
        if (_process.HasExited)
            return;
        using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-TERM", _process.Id.ToString(CultureInfo.InvariantCulture) } })
            ?? throw new InvalidOperationException("kill did not start");
        kill.WaitForExit(10_000);
    }

    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        Client.Dispose();
        try
        {
            Kill();
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
            return;
        lock (_output)
            _output.AppendLine(line);
    }

    // The service's own build output beside this test build: Gdm.Api/bin/<configuration>/net10.0/Gdm.Api.dll.
    private static string ServiceDll()
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release";
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var bin = Path.Combine(directory.FullName, "Gdm.Api", "bin", configuration);
            if (Directory.Exists(bin) && Directory.GetFiles(bin, "Gdm.Api.dll", SearchOption.AllDirectories).OrderBy(f => f.Length).FirstOrDefault() is { } dll)
                return dll;
        }

        throw new InvalidOperationException($"Gdm.Api.dll ({configuration}) is not built beside the tests: build the solution first");
    }
}
