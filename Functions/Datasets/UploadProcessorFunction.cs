using Azure.Storage.Queues.Models;
using BertPlatform.Shared.Contracts;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace BertPlatform.Functions.Datasets;

/// <summary>
/// Validation of direct uploads, off the HTTP request: a queue-triggered function in Azure (durable: a validation cut
/// short by a restart is delivered again), called by the LocalHost's queue poller where no Functions host runs.
/// </summary>
public sealed class UploadProcessorFunction(UploadValidation validation, ILogger<UploadProcessorFunction> logger)
{
    /// <summary>The Functions host's default: after this many deliveries a message goes to the poison queue.</summary>
    public const int MaxDeliveries = 5;

    [Function(nameof(ProcessDatasetUpload))]
    public async Task ProcessDatasetUpload([QueueTrigger(UploadQueue.Name)] QueueMessage message, CancellationToken cancellationToken)
    {
        var upload = PlatformJson.Deserialize<UploadMessage>(message.Body.ToString());
        try
        {
            await validation.ProcessAsync(upload, cancellationToken);
        }
        catch (Exception e) when (message.DequeueCount >= MaxDeliveries && e is not OperationCanceledException)
        {
            // The last delivery: say so on the dataset rather than leave it validating after the message is poisoned.
            logger.LogError(e, "Giving up on upload message {Kind} for {DatasetId}", upload.Kind, upload.DatasetId);
            await validation.GiveUpAsync(upload, e.Message);
        }
    }
}
