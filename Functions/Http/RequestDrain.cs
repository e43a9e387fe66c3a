namespace BertPlatform.Functions.Http;

/// <summary>
/// Reads a little of what is left of a refused body, so that a client still sending it gets the problem response
/// instead of a reset connection. Bounded: the server's own body limit ends a body much larger than ours.
/// </summary>
public static class RequestDrain
{
    public const int MaxBytes = 2 * 1024 * 1024;

    public static async Task TryAsync(Stream body)
    {
        var buffer = new byte[64 * 1024];
        long drained = 0;
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            int read;
            while (drained < MaxBytes && (read = await body.ReadAsync(buffer, timeout.Token)) > 0) drained += read;
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or Microsoft.AspNetCore.Http.BadHttpRequestException)
        {
            // The client left or the server's limit ended the body: nothing more to do.
        }
    }
}
