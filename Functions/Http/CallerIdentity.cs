using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using BertPlatform.Shared.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace BertPlatform.Functions.Http;

/// <summary>
/// Who is calling, which decides what they own. Null means nobody: the request is refused with 401.
/// <list type="number">
/// <item>Where App Service Authentication (Entra ID sign-in) runs in front of the app: the signed-in principal's object
/// id from <c>x-ms-client-principal</c>. A principal header that is malformed, has no object id, or disagrees with
/// <c>x-ms-client-principal-id</c> is refused, never passed over for another identity.</item>
/// <item>Otherwise the function key: its name where the host passes it as a claim; else the owner the key is mapped to
/// in <c>Api:KeyOwners</c> (by the key's SHA-256, so a rotated key mapped to the same owner keeps that owner's data;
/// <see cref="KeyOwnerMap"/>);
/// else a digest of the key itself (an unmapped key's data is orphaned when the key is rotated).</item>
/// <item>Otherwise the configured local default owner.</item>
/// </list>
/// </summary>
public sealed class CallerIdentity(IOptions<ApiOptions> options)
{
    private readonly IReadOnlyDictionary<string, string> keyOwners = KeyOwnerMap.Parse(options.Value.KeyOwners);

    public const string ClientPrincipalHeader = "x-ms-client-principal";

    public const string ClientPrincipalIdHeader = "x-ms-client-principal-id";

    /// <summary>The claim the Functions host puts on a request authenticated with a key: that key's name.</summary>
    public const string FunctionKeyClaim = "http://schemas.microsoft.com/2017/07/functions/claims/keyid";

    /// <summary>The Entra ID object id, as App Service Authentication names it, and its short form.</summary>
    private static readonly string[] ObjectIdClaims = ["http://schemas.microsoft.com/identity/claims/objectidentifier", "oid"];

    /// <summary>The caller's owner id, or null when there is none or it cannot key storage (too long).</summary>
    public string? Resolve(HttpRequest request) => Identify(request) is { } owner && StorageNames.IsUsableOwner(owner) ? owner : null;

    private string? Identify(HttpRequest request)
    {
        var settings = options.Value;
        if (settings.TrustClientPrincipalHeader
            && (request.Headers.ContainsKey(ClientPrincipalHeader) || request.Headers.ContainsKey(ClientPrincipalIdHeader)))
            return SignedInPrincipal(request) is { } objectId ? "user:" + objectId : null;
        if (request.HttpContext.User.FindFirst(FunctionKeyClaim)?.Value is { Length: > 0 } keyName)
            return "key:" + keyName;
        if (PresentedKey(request) is { Length: > 0 } key)
        {
            var digest = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
            return "key:" + (keyOwners.TryGetValue(digest, out var owner) ? owner : digest[..16]);
        }
        return string.IsNullOrWhiteSpace(settings.DefaultOwner) ? null : settings.DefaultOwner;
    }

    /// <summary>The object id, when the principal header decodes, carries one, and agrees with the id header.</summary>
    private static string? SignedInPrincipal(HttpRequest request)
    {
        if (!request.Headers.TryGetValue(ClientPrincipalHeader, out var encoded) || encoded.Count != 1) return null;
        if (ObjectId(encoded.ToString()) is not { } objectId) return null;
        if (request.Headers.TryGetValue(ClientPrincipalIdHeader, out var id) && !string.Equals(id.ToString(), objectId, StringComparison.OrdinalIgnoreCase))
            return null;
        return objectId;
    }

    /// <summary>The key travels in the <c>x-functions-key</c> header or the <c>code</c> query parameter.</summary>
    private static string? PresentedKey(HttpRequest request) =>
        request.Headers.TryGetValue("x-functions-key", out var header) && header.Count > 0 ? header.ToString()
        : request.Query.TryGetValue("code", out var code) ? code.ToString() : null;

    /// <summary>The header is base64 JSON: <c>{"auth_typ":..,"name_typ":..,"claims":[{"typ":..,"val":..}]}</c>.</summary>
    private static string? ObjectId(string encoded)
    {
        try
        {
            using var document = JsonDocument.Parse(Convert.FromBase64String(encoded));
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("claims", out var claims) || claims.ValueKind != JsonValueKind.Array) return null;
            foreach (var claim in claims.EnumerateArray())
            {
                if (claim.ValueKind != JsonValueKind.Object
                    || !claim.TryGetProperty("typ", out var type) || type.ValueKind != JsonValueKind.String
                    || !claim.TryGetProperty("val", out var value) || value.ValueKind != JsonValueKind.String) continue;
                if (ObjectIdClaims.Contains(type.GetString()) && Guid.TryParse(value.GetString(), out var objectId))
                    return objectId.ToString("D");
            }
            return null;
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return null;
        }
    }
}
