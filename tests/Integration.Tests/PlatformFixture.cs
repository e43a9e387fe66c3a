using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using BertPlatform.Functions.LocalHost;
using BertPlatform.Functions.Tests;
using BertPlatform.GpuRunner.Hosting;
using BertPlatform.GpuRunner.Worker;
using BertPlatform.Shared.Contracts;
using BertPlatform.Shared.Storage;
using BertPlatform.TestSupport;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace BertPlatform.Integration.Tests;

/// <summary>
/// Azurite plus the local Functions host on a real Kestrel port, shared by the tests of the "platform"
/// collection. Tests keep apart by calling as different owners; runners are built per test with short leases.
/// </summary>
public sealed class PlatformFixture : IAsyncLifetime
{
    private WebApplicationFactory<FunctionRoute>? factory;

    public AzuriteFixture Azurite { get; } = new();

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Settings shared by host and runners; short timings so takeovers happen in seconds.</summary>
    public Dictionary<string, string?> Settings => new()
    {
        ["Storage:ConnectionString"] = Azurite.ConnectionString,
        ["JobQueue:Transport"] = "StorageQueue",
        ["JobQueue:Name"] = "jobs",
        ["JobQueue:MessageLease"] = "00:00:02",
        ["Api:DefaultOwner"] = "local",
        ["Api:TrustClientPrincipalHeader"] = "true",
        ["Api:MaxHttpUploadBytes"] = (8 * 1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Runner:PollInterval"] = "00:00:00.2",
        ["Runner:JobLease"] = "00:00:03",
        ["Runner:CancelPollInterval"] = "00:00:00.2",
        ["Runner:MaxAttempts"] = "3",
        ["Logging:LogLevel:Default"] = "Warning",
    };

    public async Task InitializeAsync()
    {
        await Azurite.InitializeAsync();
        var port = FreePorts.Next();
        factory = new WebApplicationFactory<FunctionRoute>().WithWebHostBuilder(web =>
            web.ConfigureAppConfiguration((_, config) => config.AddInMemoryCollection(Settings)));
        factory.UseKestrel(kestrel => kestrel.Listen(System.Net.IPAddress.Loopback, port));
        factory.StartServer();
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
    }

    public async Task DisposeAsync()
    {
        if (factory is not null) await factory.DisposeAsync();
        await Azurite.DisposeAsync();
    }

    /// <summary>A client calling as <paramref name="user"/> (App Service authentication's header), or as the local default owner.</summary>
    public HttpClient Client(string? user = null)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromMinutes(5) };
        if (user is not null) client.DefaultRequestHeaders.Add("x-ms-client-principal", ClientPrincipalHeader.For(user));
        return client;
    }

    /// <summary>A new signed-in user: an Entra ID object id, which is what owns data.</summary>
    public static string NewUser() => Guid.NewGuid().ToString("D");

    /// <summary>A runner in this process, with the test's executor in place of the trainer.</summary>
    public ServiceProvider Runner(IJobExecutor executor, string runnerId, IDictionary<string, string?>? overrides = null)
    {
        var settings = Settings;
        settings["Runner:RunnerId"] = runnerId;
        settings["Runner:WorkDirectory"] = Path.Combine(Path.GetTempPath(), "bert-runner-tests", runnerId);
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>()) settings[key] = value;
        return RunnerHost.BuildServices(new ConfigurationBuilder().AddInMemoryCollection(settings).Build(), executor);
    }

    public StorageClients Storage => new(new Shared.Configuration.StorageOptions { ConnectionString = Azurite.ConnectionString });

    public static async Task<DatasetRecord> UploadAsync(HttpClient client, string csv, string name = "reviews")
    {
        using var content = new StringContent(csv, Encoding.UTF8, new MediaTypeHeaderValue("text/csv"));
        var response = await client.PostAsync($"api/datasets?name={name}&format=csv&task=text_classification", content);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"upload answered {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("dataset").Deserialize<DatasetRecord>(PlatformJson.Options)!;
    }

    public static async Task<JobRecord> SubmitAsync(HttpClient client, object spec)
    {
        var response = await client.PostAsJsonAsync("api/jobs", spec);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Accepted, $"submit answered {(int)response.StatusCode}: {body}");
        return JsonSerializer.Deserialize<JobRecord>(body, PlatformJson.Options)!;
    }

    public static async Task<JobRecord> GetJobAsync(HttpClient client, string id) =>
        JsonSerializer.Deserialize<JobRecord>(await client.GetStringAsync($"api/jobs/{id}"), PlatformJson.Options)!;

    public static async Task<IReadOnlyList<JobEvent>> GetEventsAsync(HttpClient client, string id) =>
        JsonSerializer.Deserialize<List<JobEvent>>(await client.GetStringAsync($"api/jobs/{id}/events"), PlatformJson.Options)!;

    /// <summary>Polls the job over HTTP until <paramref name="done"/> holds or the timeout passes.</summary>
    public static async Task<JobRecord> WaitForJobAsync(HttpClient client, string id, Func<JobRecord, bool> done, TimeSpan timeout, Func<string>? context = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var job = await GetJobAsync(client, id);
            if (done(job)) return job;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Job {id} is {job.Status} (attempts {job.Attempts}, error '{job.Error}') after {timeout}. {context?.Invoke()}");
            await Task.Delay(200);
        }
    }

    /// <summary>A small, valid text-classification CSV.</summary>
    public static string SampleCsv(int rows = 24)
    {
        var csv = new StringBuilder("text,label\n");
        for (var i = 0; i < rows; i++) csv.Append(i % 2 == 0 ? $"great product number {i},positive\n" : $"awful service number {i},negative\n");
        return csv.ToString();
    }
}

[CollectionDefinition("platform")]
public sealed class PlatformCollection : ICollectionFixture<PlatformFixture>;

/// <summary>A base model in the blob layout jobs expect; worker tests only need its files to exist.</summary>
public static class TestBaseModel
{
    public const string Name = "test-bert";

    private static readonly SemaphoreSlim gate = new(1, 1);
    private static readonly HashSet<string> seeded = [];

    public static async Task EnsureSeededAsync(PlatformFixture platform)
    {
        await gate.WaitAsync();
        try
        {
            if (!seeded.Add(platform.Azurite.ConnectionString)) return;
            await UploadAsync(platform);
        }
        finally
        {
            gate.Release();
        }
    }

    public static Task ReseedAsync(PlatformFixture platform) => UploadAsync(platform);

    private static async Task UploadAsync(PlatformFixture platform)
    {
        {
            var folder = Directory.CreateTempSubdirectory("test-bert-").FullName;
            await File.WriteAllTextAsync(Path.Combine(folder, "config.json"), "{\"model_type\":\"bert\"}");
            await File.WriteAllTextAsync(Path.Combine(folder, "vocab.txt"), "[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\n");
            await File.WriteAllBytesAsync(Path.Combine(folder, "model.safetensors"), new byte[16]);
            var storage = platform.Storage;
            await new StorageInitializer(storage).EnsureCreatedAsync(CancellationToken.None);
            await BlobFolders.UploadAsync(folder, storage.Container(StorageNames.ModelsContainer), StorageNames.BaseModelPrefix(Name), CancellationToken.None);
            Directory.Delete(folder, recursive: true);
        }
    }
}
