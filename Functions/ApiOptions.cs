namespace BertPlatform.Functions;

/// <summary>Settings of the HTTP API (configuration section <c>Api</c>).</summary>
public sealed class ApiOptions
{
    public const string Section = "Api";

    /// <summary>
    /// Owner of every request that carries no identity. Set only on a single-user local host; in Azure it stays
    /// empty and such requests are refused.
    /// </summary>
    public string? DefaultOwner { get; set; }

    /// <summary>
    /// Trust <c>x-ms-client-principal</c>. Turn it on only where App Service authentication (Entra ID sign-in) runs
    /// in front of the app: it replaces the header on every request, so a caller cannot forge it. Without that
    /// authentication any key holder could claim to be anyone, hence off unless configured.
    /// </summary>
    public bool TrustClientPrincipalHeader { get; set; }

    /// <summary>
    /// Owners of function keys by key digest (<see cref="Http.KeyOwnerMap"/>): <c>owner=sha256hex[,sha256hex...];...</c>.
    /// Rotating a key means adding the new key's digest under its owner, so the owner and its data stay.
    /// </summary>
    public string? KeyOwners { get; set; }

    /// <summary>Largest dataset accepted, in bytes: the cap of a direct (SAS) upload to Blob Storage.</summary>
    public long MaxUploadBytes { get; set; } = 10L * 1024 * 1024 * 1024;

    /// <summary>
    /// Largest dataset sent in the body of one HTTP request (also the web server's request body limit, plus room for a
    /// multipart envelope). Azure Functions takes about 100 MB per request; larger files use the direct upload.
    /// </summary>
    public long MaxHttpUploadBytes { get; set; } = 100L * 1024 * 1024;

    /// <summary>
    /// How long a direct upload's write SAS is valid. Long enough to send the largest dataset on a slow line, short
    /// enough that a leaked URL soon stops working; an upload not completed by then is removed.
    /// </summary>
    public TimeSpan DirectUploadLifetime { get; set; } = TimeSpan.FromHours(2);

    /// <summary>The GPU a job's pre-flight report estimates duration and cost on (<c>Api__GpuProfile__*</c>).</summary>
    public Shared.Insight.GpuProfile GpuProfile { get; set; } = new();

    /// <summary>Largest JSON request body (job specs), in bytes.</summary>
    public int MaxJsonBytes { get; set; } = 64 * 1024;
}
