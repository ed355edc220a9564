using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Net;
using System.Reflection;
using Gdm.Api.Cluster;
using Gdm.Api.Options;
using Gdm.Tests.Api.Support;
using Microsoft.Extensions.Configuration;
using YamlDotNet.RepresentationModel;

namespace Gdm.Tests.Deploy;

/// <summary>
/// deploy/k8s and docker/compose.yaml against the application: the ports it listens on, the probe paths it serves,
/// the settings it binds (every Section__Property in an environment list names a real option and passes its checks),
/// the Redis stream and group it uses, the metric the HPA scales on, and selectors that find the pods.
/// </summary>
public sealed class DeploymentFilesTests
{
    private static readonly string Root = RepositoryRoot();
    private static readonly string K8s = Path.Combine(Root, "deploy", "k8s");

    [Fact]
    public void Every_manifest_parses_and_kustomization_lists_existing_files()
    {
        var documents = Manifests().ToArray();
        Assert.All(documents, d => Assert.False(string.IsNullOrEmpty(d.Scalar("kind")), $"{d.File}: a document without kind"));
        Assert.Contains(documents, d => d.Scalar("kind") == "Deployment" && d.Scalar("metadata", "name") == "gdm-api");
        var kustomization = documents.Single(d => d.Scalar("kind") == "Kustomization");
        Assert.All(kustomization.Sequence("resources").Select(n => ((YamlScalarNode)n).Value!), file => Assert.True(File.Exists(Path.Combine(K8s, file)), file));
    }

    [Fact]
    public void The_service_containers_listen_where_their_ports_probes_and_the_Dockerfile_say()
    {
        var dockerfile = File.ReadAllText(Path.Combine(Root, "docker", "Dockerfile"));
        Assert.Contains("EXPOSE 8080", dockerfile, StringComparison.Ordinal);
        Assert.Contains("ASPNETCORE_URLS=http://+:8080", dockerfile, StringComparison.Ordinal);
        foreach (var (deployment, container) in ServiceContainers())
        {
            var port = ((YamlSequenceNode)container["ports"]).Cast<YamlMappingNode>().Single();
            Assert.Equal(("http", "8080"), (Scalar(port, "name"), Scalar(port, "containerPort")));
            Assert.Equal("http://+:8080", Environment(container)["ASPNETCORE_URLS"]);
            foreach (var probe in new[] { "startupProbe", "readinessProbe", "livenessProbe" })
                Assert.Equal("http", Scalar(container, probe, "httpGet", "port"));
            Assert.Equal(("/health/ready", "/health/ready", "/health/live"),
                (Scalar(container, "startupProbe", "httpGet", "path"), Scalar(container, "readinessProbe", "httpGet", "path"), Scalar(container, "livenessProbe", "httpGet", "path")));
            Assert.NotNull(Scalar(container, "resources", "requests", "cpu"));
            Assert.NotNull(Scalar(container, "resources", "limits", "memory"));
            Assert.Equal("metadata.name", Scalar(EnvEntry(container, "Cluster__ReplicaName"), "valueFrom", "fieldRef", "fieldPath"));

            // The pod outlives its drain: SIGTERM, running jobs finish or are handed back, then the host stops.
            var grace = TimeSpan.FromSeconds(int.Parse(deployment.Scalar("spec", "template", "spec", "terminationGracePeriodSeconds")!, System.Globalization.CultureInfo.InvariantCulture));
            Assert.True(grace >= Bind<ClusterOptions>(Environment(container)).DrainTimeout + TimeSpan.FromSeconds(10),
                $"{deployment.File}: terminationGracePeriodSeconds {grace.TotalSeconds} s leaves no room after the drain");
        }
    }

    [Fact]
    public async Task The_probe_paths_are_served_by_the_application()
    {
        using var factory = new GdmApiFactory();
        var client = await factory.ReadyClientAsync();
        var paths = ServiceContainers()
            .SelectMany(c => new[] { "startupProbe", "readinessProbe", "livenessProbe" }.Select(p => Scalar(c.Container, p, "httpGet", "path")!))
            .Distinct();
        foreach (var path in paths)
        {
            using var response = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    [Fact]
    public void Every_setting_in_the_manifests_and_compose_names_a_real_option_with_a_valid_value()
    {
        var lists = ServiceContainers().Select(c => (c.Deployment.File, Environment(c.Container)))
            .Concat(ComposeServices().Select(s => ($"compose.yaml {s.Name}", s.Environment)))
            .ToArray();
        Assert.NotEmpty(lists);
        var sections = OptionTypes();
        foreach (var (file, environment) in lists)
            foreach (var name in environment.Keys.Where(k => k.Contains("__", StringComparison.Ordinal)))
            {
                var parts = name.Split("__");
                Assert.True(parts.Length == 2, $"{file}: {name} is not Section__Property");
                Assert.True(sections.TryGetValue(parts[0], out var type), $"{file}: {name}: no options section {parts[0]}");
                Assert.True(type!.GetProperty(parts[1], BindingFlags.Public | BindingFlags.Instance) is { CanWrite: true },
                    $"{file}: {name}: {type.Name} has no setting {parts[1]}");
                var bound = BindAndValidate(type, environment);
                Assert.True(bound.Count == 0, $"{file}: {string.Join("; ", bound)}");
            }
    }

    [Fact]
    public void Selectors_find_the_pods_and_scalers_target_the_deployment_stream_and_metric()
    {
        var documents = Manifests().ToArray();
        var deployment = documents.Single(d => d.Scalar("kind") == "Deployment" && d.Scalar("metadata", "name") == "gdm-api");
        var podLabels = deployment.Mapping("spec", "template", "metadata", "labels");

        foreach (var selector in new[]
                 {
                     documents.Single(d => d.Scalar("kind") == "Service" && d.Scalar("metadata", "name") == "gdm-api").Mapping("spec", "selector"),
                     documents.Single(d => d.Scalar("kind") == "PodDisruptionBudget").Mapping("spec", "selector", "matchLabels"),
                 })
            foreach (var (key, value) in selector.Children)
                Assert.Equal(((YamlScalarNode)value).Value, Scalar(podLabels, ((YamlScalarNode)key).Value!));
        Assert.Equal("http", documents.Single(d => d.Scalar("kind") == "Service" && d.Scalar("metadata", "name") == "gdm-api").Scalar("spec", "ports", "0", "targetPort"));

        // Cluster__Redis names the Redis Service of the manifests, and KEDA reads the stream and group the replicas use.
        var redis = Environment(ServiceContainers().First().Container)["Cluster__Redis"];
        var redisService = documents.Single(d => d.Scalar("kind") == "Service" && d.Scalar("metadata", "name") == "gdm-redis");
        Assert.Equal($"gdm-redis:{redisService.Scalar("spec", "ports", "0", "port")}", redis);
        var keys = new ClusterKeys(new ClusterOptions().KeyPrefix);
        var scaled = documents.Single(d => d.Scalar("kind") == "ScaledObject");
        Assert.Equal("gdm-api", scaled.Scalar("spec", "scaleTargetRef", "name"));
        Assert.Equal((redis, keys.Stream.ToString(), ClusterKeys.Group),
            (scaled.Scalar("spec", "triggers", "0", "metadata", "address"), scaled.Scalar("spec", "triggers", "0", "metadata", "stream"), scaled.Scalar("spec", "triggers", "0", "metadata", "consumerGroup")));

        var hpa = documents.Single(d => d.Scalar("kind") == "HorizontalPodAutoscaler");
        Assert.Equal("gdm-api", hpa.Scalar("spec", "scaleTargetRef", "name"));
        Assert.Equal(ClusterMetrics.QueueDepth.Name, hpa.Scalar("spec", "metrics", "0", "external", "metric", "name"));
    }

    [Fact]
    public void Every_container_runtime_waits_longer_than_the_host_may_take_to_stop()
    {
        var waits = ServiceContainers()
            .Select(c => (c.Deployment.File, Environment(c.Container), Seconds: int.Parse(c.Deployment.Scalar("spec", "template", "spec", "terminationGracePeriodSeconds")!, CultureInfo.InvariantCulture)))
            .Concat(ComposeServices().Select(c => ("compose.yaml " + c.Name, c.Environment, Seconds: ComposeGracePeriod(c.Name))))
            .ToList();
        Assert.NotEmpty(waits);
        foreach (var (where, environment, seconds) in waits)
        {
            var stop = Bind<ShutdownOptions>(environment).HostStopTimeout(Bind<ClusterOptions>(environment));
            Assert.True(seconds > stop.TotalSeconds, $"{where}: waits {seconds} s before SIGKILL, the host may take {stop.TotalSeconds} s to stop");
        }
    }

    [Fact]
    public void The_gpu_variant_asks_for_an_nvidia_gpu_and_runs_on_cuda()
    {
        var gpu = ServiceContainers().Single(c => c.Deployment.File == "deployment-gpu.yaml").Container;
        Assert.Equal("1", Scalar(gpu, "resources", "limits", "nvidia.com/gpu"));
        Assert.Equal("Cuda", Environment(gpu)["Inference__ExecutionProvider"]);
    }

    [Fact]
    public void Compose_puts_two_replicas_on_one_redis_behind_the_load_balancer()
    {
        var replicas = ComposeServices().Where(s => s.Environment.ContainsKey("Cluster__Redis")).ToArray();
        Assert.Equal(2, replicas.Length);
        Assert.All(replicas, r => Assert.Equal("redis:6379", r.Environment["Cluster__Redis"]));
        Assert.Equal(replicas.Length, replicas.Select(r => r.Environment["Cluster__ReplicaName"]).Distinct().Count());
        var nginx = File.ReadAllText(Path.Combine(Root, "docker", "nginx.conf"));
        Assert.All(replicas, r => Assert.Contains($"server {r.Name}:8080;", nginx, StringComparison.Ordinal));
    }

    [Fact]
    public void API_keys_are_on_in_every_container_with_the_hash_file_mounted_from_a_secret_and_the_probes_need_no_key()
    {
        var documents = Manifests().ToArray();
        var generated = documents.Single(d => d.Scalar("kind") == "Kustomization").Sequence("secretGenerator").Cast<YamlMappingNode>().Single();
        var secretFiles = ((YamlSequenceNode)generated["files"]).Select(n => ((YamlScalarNode)n).Value!).ToArray();
        foreach (var (deployment, container) in ServiceContainers())
        {
            var keys = Bind<ApiKeyOptions>(Environment(container));
            Assert.True(keys.Required, $"{deployment.File}: ApiKeys__Required is not true");
            foreach (var probe in new[] { "startupProbe", "readinessProbe", "livenessProbe" })
                Assert.False(keys.NeedsKey(Scalar(container, probe, "httpGet", "path")), $"{deployment.File}: the {probe} would need a key");

            var mount = ((YamlSequenceNode)container["volumeMounts"]).Cast<YamlMappingNode>()
                .Single(m => keys.KeyHashFile.StartsWith(Scalar(m, "mountPath") + "/", StringComparison.Ordinal));
            var volume = deployment.Sequence("spec", "template", "spec", "volumes").Cast<YamlMappingNode>().Single(v => Scalar(v, "name") == Scalar(mount, "name"));
            Assert.Equal(Scalar(generated, "name"), Scalar(volume, "secret", "secretName"));
            Assert.Contains(Path.GetFileName(keys.KeyHashFile), secretFiles);
        }

        var compose = new YamlStream();
        using (var reader = new StreamReader(Path.Combine(Root, "docker", "compose.yaml")))
            compose.Load(reader);
        var root = (YamlMappingNode)compose.Documents[0].RootNode;
        var declared = ((YamlMappingNode)root["secrets"]).Children.Keys.Select(k => ((YamlScalarNode)k).Value!).ToArray();
        var services = (YamlMappingNode)root["services"];
        foreach (var (name, environment) in ComposeServices())
        {
            var keys = Bind<ApiKeyOptions>(environment);
            Assert.True(keys.Required && !keys.NeedsKey("/health/ready"), $"compose.yaml {name}: keys off, or health needs a key");
            var service = (YamlMappingNode)services[name];
            var secrets = service.Children.TryGetValue("secrets", out var own) ? own : ((YamlMappingNode)service["<<"])["secrets"];
            var mounted = ((YamlSequenceNode)secrets).Select(n => "/run/secrets/" + ((YamlScalarNode)n).Value).ToArray();
            Assert.Contains(keys.KeyHashFile, mounted);
            Assert.Contains(Path.GetFileName(keys.KeyHashFile), declared);
        }
    }

    private static IEnumerable<Document> Manifests()
    {
        foreach (var path in Directory.GetFiles(K8s, "*.yaml").Order(StringComparer.Ordinal))
        {
            var stream = new YamlStream();
            using (var reader = new StreamReader(path))
                stream.Load(reader);
            foreach (var document in stream.Documents)
                yield return new Document(Path.GetFileName(path), (YamlMappingNode)document.RootNode);
        }
    }

    // The containers of the service's own Deployments (not Redis), with their Deployment.
    private static IEnumerable<(Document Deployment, YamlMappingNode Container)> ServiceContainers() =>
        Manifests()
            .Where(d => d.Scalar("kind") == "Deployment" && d.Scalar("metadata", "name")!.StartsWith("gdm-api", StringComparison.Ordinal))
            .Select(d => (d, (YamlMappingNode)d.Sequence("spec", "template", "spec", "containers").Single()));

    private static IEnumerable<(string Name, Dictionary<string, string> Environment)> ComposeServices()
    {
        var stream = new YamlStream();
        using (var reader = new StreamReader(Path.Combine(Root, "docker", "compose.yaml")))
            stream.Load(reader);
        var services = (YamlMappingNode)((YamlMappingNode)stream.Documents[0].RootNode)["services"];
        foreach (var (name, service) in services.Children)
            if (((YamlMappingNode)service).Children.TryGetValue("environment", out var environment))
                yield return (((YamlScalarNode)name).Value!, ((YamlMappingNode)environment).Children.ToDictionary(
                    e => ((YamlScalarNode)e.Key).Value!, e => ((YamlScalarNode)e.Value).Value!, StringComparer.Ordinal));
    }

    // A service's stop_grace_period in seconds: its own, else its <<: *replica anchor's, else Docker's default of 10 s.
    private static int ComposeGracePeriod(string service)
    {
        var stream = new YamlStream();
        using (var reader = new StreamReader(Path.Combine(Root, "docker", "compose.yaml")))
            stream.Load(reader);
        var root = stream.Documents[0].RootNode;
        var period = Scalar(root, "services", service, "stop_grace_period")
            ?? (((YamlMappingNode)((YamlMappingNode)root["services"])[service]).Children.ContainsKey("<<") ? Scalar(root, "x-replica", "stop_grace_period") : null)
            ?? "10s";
        return int.Parse(period.TrimEnd('s'), CultureInfo.InvariantCulture);
    }

    private static Dictionary<string, string> Environment(YamlMappingNode container) =>
        ((YamlSequenceNode)container["env"]).Cast<YamlMappingNode>()
        .ToDictionary(e => Scalar(e, "name")!, e => Scalar(e, "value") ?? "(from the pod)", StringComparer.Ordinal);

    private static YamlMappingNode EnvEntry(YamlMappingNode container, string name) =>
        ((YamlSequenceNode)container["env"]).Cast<YamlMappingNode>().Single(e => Scalar(e, "name") == name);

    private static Dictionary<string, Type> OptionTypes() =>
        typeof(ClusterOptions).Assembly.GetTypes()
            .Where(t => t.Namespace == typeof(ClusterOptions).Namespace && t.GetField("Section", BindingFlags.Public | BindingFlags.Static) is { IsLiteral: true })
            .ToDictionary(t => (string)t.GetField("Section")!.GetRawConstantValue()!, t => t, StringComparer.Ordinal);

    private static T Bind<T>(Dictionary<string, string> environment)
        where T : new()
    {
        var configuration = Configuration(environment);
        var section = (string)typeof(T).GetField("Section")!.GetRawConstantValue()!;
        return configuration.GetSection(section).Get<T>() ?? new T();
    }

    // Binds the settings of type's section as the host would, and runs its data-annotation checks.
    private static List<string> BindAndValidate(Type type, Dictionary<string, string> environment)
    {
        var configuration = Configuration(environment);
        var section = (string)type.GetField("Section")!.GetRawConstantValue()!;
        var options = Activator.CreateInstance(type)!;
        configuration.GetSection(section).Bind(options, o => o.ErrorOnUnknownConfiguration = true);
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return results.Select(r => $"{section}: {r.ErrorMessage}").ToList();
    }

    private static IConfiguration Configuration(Dictionary<string, string> environment) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(environment.Where(e => e.Key.Contains("__", StringComparison.Ordinal) && e.Value != "(from the pod)")
                .Select(e => KeyValuePair.Create(e.Key.Replace("__", ":", StringComparison.Ordinal), (string?)e.Value)))
            .Build();

    private static string? Scalar(YamlNode node, params string[] path)
    {
        foreach (var step in path)
        {
            node = node switch
            {
                YamlMappingNode mapping when mapping.Children.TryGetValue(step, out var child) => child,
                YamlSequenceNode sequence when int.TryParse(step, out var index) && index < sequence.Children.Count => sequence.Children[index],
                _ => null!,
            };
            if (node is null)
                return null;
        }

        return (node as YamlScalarNode)?.Value;
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            if (File.Exists(Path.Combine(directory.FullName, "Gdm.sln")))
                return directory.FullName;
        throw new InvalidOperationException("the repository root (Gdm.sln) is not above the test's folder");
    }

    private sealed record Document(string File, YamlMappingNode Root)
    {
        public string? Scalar(params string[] path) => DeploymentFilesTests.Scalar(Root, path);

        public YamlMappingNode Mapping(params string[] path) => (YamlMappingNode)path.Aggregate((YamlNode)Root, (node, step) => ((YamlMappingNode)node)[step]);

        public YamlSequenceNode Sequence(params string[] path) => (YamlSequenceNode)path.Aggregate((YamlNode)Root, (node, step) => ((YamlMappingNode)node)[step]);
    }
}
