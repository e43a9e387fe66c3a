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
    /// Trust <c>x-ms-client-principal</c>. Only App Service authentication may set it (it strips the header from
    /// incoming requests), so turn this off where that authentication is not enabled in front of the app.
    /// </summary>
    public bool TrustClientPrincipalHeader { get; set; } = true;

    /// <summary>Largest dataset upload accepted, in bytes (also the web server's request body limit).</summary>
    public long MaxUploadBytes { get; set; } = 10L * 1024 * 1024 * 1024;

    /// <summary>Largest JSON request body (job specs), in bytes.</summary>
    public int MaxJsonBytes { get; set; } = 64 * 1024;
}
