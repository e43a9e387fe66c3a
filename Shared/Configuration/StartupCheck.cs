using Microsoft.Extensions.Configuration;

namespace BertPlatform.Shared.Configuration;

/// <summary>
/// What a command-line app checks before it builds anything: the settings it cannot start without, reported as one
/// line that names them, so a user who starts a piece by hand sees what to set instead of a stack trace from
/// deep inside dependency injection.
/// </summary>
public static class StartupCheck
{
    /// <summary>sysexits.h EX_CONFIG: the process was started with a configuration it cannot run with.</summary>
    public const int ConfigurationExitCode = 78;

    /// <summary>
    /// Null when <paramref name="configuration"/> has what <paramref name="appName"/> needs; otherwise one line naming
    /// every missing setting. In Azure that is the whole catalogue <paramref name="required"/>; locally (Azurite) it is
    /// storage: a connection string, or the blob and table endpoints.
    /// </summary>
    public static string? MissingSettings(IConfiguration configuration, IEnumerable<AppSetting> required, string appName)
    {
        var transport = configuration[AppSettings.JobQueueTransport.ConfigurationKey];
        if (!string.IsNullOrWhiteSpace(transport) && !Enum.TryParse<JobQueueTransport>(transport, ignoreCase: true, out _))
            return $"{appName} cannot start: {AppSettings.JobQueueTransport.Name} is '{transport}'; set it to ServiceBus or StorageQueue.";
        var missing = AppSettings.IsAzureDeployment(configuration)
            ? AppSettings.FindMissing(configuration, required).Select(s => s.Name).ToList()
            : MissingLocalStorage(configuration);
        return missing.Count == 0
            ? null
            : $"{appName} cannot start: set {string.Join(", ", missing)} (environment variables; see README, Configuration).";
    }

    private static readonly AppSetting StorageConnectionString = AppSetting.ForOption(StorageOptions.Section,
        nameof(StorageOptions.ConnectionString), "Azurite's connection string (shared keys are off in Azure).");

    /// <summary>Storage is either Azurite's connection string or both service endpoints (managed identity).</summary>
    private static List<string> MissingLocalStorage(IConfiguration configuration)
    {
        bool Has(AppSetting setting) => !string.IsNullOrWhiteSpace(configuration[setting.ConfigurationKey]);
        var (blob, table) = (AppSettings.StorageBlobServiceUri, AppSettings.StorageTableServiceUri);
        if (Has(StorageConnectionString) || (Has(blob) && Has(table))) return [];
        return Has(blob) || Has(table)
            ? [Has(blob) ? table.Name : blob.Name]
            : [$"{StorageConnectionString.Name} (Azurite) or {blob.Name} and {table.Name}"];
    }
}
