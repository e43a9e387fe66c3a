using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Specialized;
using Azure.Storage.Sas;
using BertPlatform.Shared.Storage;

namespace BertPlatform.Functions.Datasets;

/// <summary>
/// The URL a client writes one dataset blob with: a SAS for that blob only, allowed to create and write (Put Block,
/// Put Block List, Put Blob) and nothing else (no read, no list, no delete), until it expires. Signed with the account
/// key where the client has one (Azurite), else with a user-delegation key obtained with the app's managed identity
/// (Azure, where shared keys are off; needs generateUserDelegationKey, which Azure honours only at the account or
/// above: the API holds Storage Blob Delegator on the account, infra/modules/storage.bicep).
/// </summary>
public sealed class UploadSas(StorageClients storage, TimeProvider time)
{
    public async Task<Uri> WriteUriAsync(BlockBlobClient blob, DateTimeOffset expiresOn, CancellationToken ct)
    {
        // A little clock skew between this app and the storage service must not make a fresh SAS "not yet valid".
        var startsOn = time.GetUtcNow().AddMinutes(-5);
        var sas = new BlobSasBuilder(BlobSasPermissions.Create | BlobSasPermissions.Write, expiresOn)
        {
            BlobContainerName = blob.BlobContainerName,
            BlobName = blob.Name,
            Resource = "b",
            StartsOn = startsOn,
        };
        if (blob.CanGenerateSasUri) return blob.GenerateSasUri(sas);
        sas.Protocol = SasProtocol.Https;
        var key = await storage.Blobs.GetUserDelegationKeyAsync(startsOn, expiresOn, ct);
        return new BlobUriBuilder(blob.Uri) { Sas = sas.ToSasQueryParameters(key.Value, storage.Blobs.AccountName) }.ToUri();
    }
}
