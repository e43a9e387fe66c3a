using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using BertPlatform.Shared.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace BertPlatform.Functions.Http;

/// <summary>
/// Who is calling, which decides what they own: the signed-in user from App Service authentication
/// (<c>x-ms-client-principal</c>), else the function key the caller presented (its name where the host passes it
/// on as a claim; with ASP.NET Core integration it does not, so a digest of the key the host already validated
/// stands in for it), else the configured local default owner. Null means nobody: the request is refused.
/// </summary>
public sealed class CallerIdentity(IOptions<ApiOptions> options)
{
    public const string ClientPrincipalHeader = "x-ms-client-principal";

    /// <summary>The claim the Functions host puts on a request authenticated with a key: that key's name.</summary>
    public const string FunctionKeyClaim = "http://schemas.microsoft.com/2017/07/functions/claims/keyid";

    private static readonly string[] UserIdClaims =
        ["http://schemas.microsoft.com/identity/claims/objectidentifier", "oid", ClaimTypes.NameIdentifier, "sub"];

    /// <summary>The caller's owner id, or null when there is none or it cannot key storage (too long).</summary>
    public string? Resolve(HttpRequest request) => Identify(request) is { } owner && StorageNames.IsUsableOwner(owner) ? owner : null;

    private string? Identify(HttpRequest request)
    {
        if (options.Value.TrustClientPrincipalHeader
            && request.Headers.TryGetValue(ClientPrincipalHeader, out var encoded)
            && FromClientPrincipal(encoded.ToString()) is { } user)
            return "user:" + user;
        if (request.HttpContext.User.FindFirst(FunctionKeyClaim)?.Value is { Length: > 0 } keyName)
            return "key:" + keyName;
        if (PresentedKey(request) is { Length: > 0 } key)
            return "key:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..16];
        return string.IsNullOrWhiteSpace(options.Value.DefaultOwner) ? null : options.Value.DefaultOwner;
    }

    /// <summary>The key travels in the <c>x-functions-key</c> header or the <c>code</c> query parameter.</summary>
    private static string? PresentedKey(HttpRequest request) =>
        request.Headers.TryGetValue("x-functions-key", out var header) && header.Count > 0 ? header.ToString()
        : request.Query.TryGetValue("code", out var code) ? code.ToString() : null;

    /// <summary>The header is base64 JSON: <c>{"auth_typ":..,"name_typ":..,"claims":[{"typ":..,"val":..}]}</c>.</summary>
    private static string? FromClientPrincipal(string encoded)
    {
        try
        {
            using var document = JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(encoded)));
            if (!document.RootElement.TryGetProperty("claims", out var claims) || claims.ValueKind != JsonValueKind.Array) return null;
            var values = claims.EnumerateArray()
                .Where(c => c.TryGetProperty("typ", out _) && c.TryGetProperty("val", out _))
                .Select(c => (Type: c.GetProperty("typ").GetString(), Value: c.GetProperty("val").GetString()))
                .ToList();
            var nameType = document.RootElement.TryGetProperty("name_typ", out var n) ? n.GetString() : null;
            foreach (var type in UserIdClaims.Append(nameType))
                if (values.FirstOrDefault(c => c.Type == type).Value is { Length: > 0 } value) return value;
            return null;
        }
        catch (Exception e) when (e is FormatException or JsonException or InvalidOperationException)
        {
            return null;
        }
    }
}
