using BertPlatform.Infra.Tests.Templates;
using BertPlatform.Shared.Configuration;
using Microsoft.Extensions.Configuration;

namespace BertPlatform.Infra.Tests;

/// <summary>
/// The templates set exactly the settings the apps validate at start-up (AppSettings), so a deployment cannot
/// start with a setting missing, misspelt, or left over.
/// </summary>
public class AppSettingsCatalogTests
{
    private static readonly CompiledTemplate Template = CompiledTemplate.Main;

    public static TheoryData<string> Apps() => new() { "FunctionsApp", "GpuRunner" };

    private static (IReadOnlyList<AppSetting> Catalog, IReadOnlyList<(string Name, string Value)> Deployed) For(string app) => app switch
    {
        "FunctionsApp" => (AppSettings.FunctionsApp, DeployedSettings.FunctionsApp(Template)),
        "GpuRunner" => (AppSettings.GpuRunner, DeployedSettings.GpuRunner(Template)),
        _ => throw new ArgumentOutOfRangeException(nameof(app)),
    };

    [Theory]
    [MemberData(nameof(Apps))]
    public void The_template_sets_exactly_the_catalog(string app)
    {
        var (catalog, deployed) = For(app);
        var deployedNames = deployed.Select(s => s.Name).ToList();
        Assert.Equal(deployedNames.Count, deployedNames.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        var missing = catalog.Select(s => s.Name).Except(deployedNames, StringComparer.Ordinal).ToList();
        var unknown = deployedNames.Except(catalog.Select(s => s.Name), StringComparer.Ordinal).ToList();
        Assert.True(missing.Count == 0, $"{app}: the template does not set {string.Join(", ", missing)}");
        Assert.True(unknown.Count == 0, $"{app}: the template sets {string.Join(", ", unknown)}, which the app does not read");
    }

    [Theory]
    [MemberData(nameof(Apps))]
    public void Fixed_values_are_the_ones_the_apps_expect(string app)
    {
        var (catalog, deployed) = For(app);
        var values = deployed.ToDictionary(s => s.Name, s => s.Value);
        foreach (var setting in catalog.Where(s => s.AzureValue is not null))
            Assert.Equal(setting.AzureValue, values[setting.Name]);
        foreach (var setting in catalog.Where(s => s.AzureValue is null && !s.Optional))
            Assert.False(string.IsNullOrWhiteSpace(values[setting.Name]), $"{app}: {setting.Name} is blank");
    }

    [Fact]
    public void Storage_and_queue_settings_bind_to_the_options_the_apps_read()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [AppSettings.StorageBlobServiceUri.ConfigurationKey] = "https://st1.blob.core.windows.net/",
            [AppSettings.StorageTableServiceUri.ConfigurationKey] = "https://st1.table.core.windows.net/",
            [AppSettings.StorageQueueServiceUri.ConfigurationKey] = "https://st1.queue.core.windows.net/",
            [AppSettings.JobQueueTransport.ConfigurationKey] = AppSettings.JobQueueTransport.AzureValue,
            [AppSettings.JobQueueName.ConfigurationKey] = "jobs-x",
            [AppSettings.JobQueueServiceBusNamespace.ConfigurationKey] = "sb-1.servicebus.windows.net",
        }).Build();
        var storage = configuration.GetSection(StorageOptions.Section).Get<StorageOptions>()!;
        var queue = configuration.GetSection(JobQueueOptions.Section).Get<JobQueueOptions>()!;
        Assert.Equal(new Uri("https://st1.blob.core.windows.net/"), storage.BlobServiceUri);
        Assert.Equal(new Uri("https://st1.table.core.windows.net/"), storage.TableServiceUri);
        Assert.Equal(new Uri("https://st1.queue.core.windows.net/"), storage.QueueServiceUri);
        Assert.Null(storage.ConnectionString);
        Assert.Equal(JobQueueTransport.ServiceBus, queue.Transport);
        Assert.Equal("jobs-x", queue.Name);
        Assert.Equal("sb-1.servicebus.windows.net", queue.ServiceBusNamespace);
    }

    [Fact]
    public void A_missing_setting_is_named_with_its_meaning()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(
            AppSettings.GpuRunner.Where(s => s != AppSettings.JobQueueServiceBusNamespace)
                .Select(s => KeyValuePair.Create(s.ConfigurationKey, (string?)"x"))).Build();
        Assert.Equal([AppSettings.JobQueueServiceBusNamespace], AppSettings.FindMissing(configuration, AppSettings.GpuRunner));
        var error = Assert.Throws<InvalidOperationException>(() => AppSettings.EnsurePresent(configuration, AppSettings.GpuRunner, "GpuRunner"));
        Assert.Contains("JobQueue__ServiceBusNamespace: Fully qualified Service Bus namespace", error.Message);
        AppSettings.EnsurePresent(new ConfigurationBuilder().AddInMemoryCollection(
            AppSettings.FunctionsApp.Select(s => KeyValuePair.Create(s.ConfigurationKey, (string?)"x"))).Build(), AppSettings.FunctionsApp, "api");
    }
}
