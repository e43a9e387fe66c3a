using BertPlatform.Shared.Configuration;
using Microsoft.Extensions.Configuration;

namespace BertPlatform.Shared.Tests.Configuration;

public class StartupSettingsTests
{
    private static IConfiguration Config(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => KeyValuePair.Create(v.Key, (string?)v.Value))).Build();

    [Fact]
    public void In_Azure_a_missing_setting_stops_start_up_naming_each_one_and_its_meaning()
    {
        var configuration = Config(("JobQueue:Transport", "ServiceBus"), ("JobQueue:Name", "jobs"));
        var error = Assert.Throws<InvalidOperationException>(() => AppSettings.EnsurePresentInAzure(configuration, AppSettings.GpuRunner, "The GPU runner"));
        Assert.Contains("The GPU runner", error.Message);
        Assert.Contains("Storage__BlobServiceUri", error.Message);
        Assert.Contains("JobQueue__ServiceBusNamespace", error.Message);
        Assert.DoesNotContain("JobQueue__Name:", error.Message);
    }

    [Fact]
    public void In_Azure_the_full_catalogue_passes()
    {
        var configuration = Config(AppSettings.GpuRunner.Select(s => (s.ConfigurationKey, s.AzureValue ?? "x")).ToArray());
        AppSettings.EnsurePresentInAzure(configuration, AppSettings.GpuRunner, "The GPU runner");
    }

    [Fact]
    public void Locally_on_storage_queues_only_the_connection_string_is_needed() =>
        AppSettings.EnsurePresentInAzure(Config(("JobQueue:Transport", "StorageQueue"), ("Storage:ConnectionString", "UseDevelopmentStorage=true")),
            AppSettings.FunctionsApp, "The Functions app");
}
