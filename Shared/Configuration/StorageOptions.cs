namespace BertPlatform.Shared.Configuration;

/// <summary>
/// Where blobs and tables live (configuration section <c>Storage</c>). In Azure the service URIs are set and the
/// managed identity authenticates; locally a connection string points at Azurite. Exactly one of the two ways.
/// </summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>Azurite (or any shared-key) connection string; never set in Azure, where shared keys are off.</summary>
    public string? ConnectionString { get; set; }

    /// <summary><c>https://{account}.blob.core.windows.net</c>, with identity-based access.</summary>
    public Uri? BlobServiceUri { get; set; }

    /// <summary><c>https://{account}.table.core.windows.net</c>, with identity-based access.</summary>
    public Uri? TableServiceUri { get; set; }

    /// <summary><c>https://{account}.queue.core.windows.net</c>; for the API's dataset-upload queue and the storage-queue job transport.</summary>
    public Uri? QueueServiceUri { get; set; }
}
