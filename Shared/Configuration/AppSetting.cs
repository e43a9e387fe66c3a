namespace BertPlatform.Shared.Configuration;

/// <summary>
/// One environment setting an app reads at start-up. <see cref="Name"/> is the environment-variable spelling
/// (<c>__</c> between sections), the one Azure app settings and container env vars use.
/// </summary>
/// <param name="Name">Environment variable name, e.g. <c>Storage__BlobServiceUri</c>.</param>
/// <param name="Meaning">What the value is and who reads it; shown when the setting is missing.</param>
/// <param name="AzureValue">The literal value every Azure deployment must set, when it is fixed (e.g. <c>ServiceBus</c>); null when it is deployment-specific.</param>
/// <param name="Optional">The templates always set it, but it may be empty (a list that starts empty).</param>
public sealed record AppSetting(string Name, string Meaning, string? AzureValue = null, bool Optional = false)
{
    /// <summary>The key <see cref="Microsoft.Extensions.Configuration.IConfiguration"/> sees (<c>:</c> between sections).</summary>
    public string ConfigurationKey => Name.Replace("__", ":", StringComparison.Ordinal);

    /// <summary>The setting for a property of an options class bound from <paramref name="section"/>.</summary>
    public static AppSetting ForOption(string section, string property, string meaning, string? azureValue = null) =>
        new($"{section}__{property}", meaning, azureValue);
}
