using System.Text;
using System.Text.Json;

namespace BertPlatform.Functions.Tests;

/// <summary>
/// The <c>x-ms-client-principal</c> header App Service authentication puts on a signed-in user's request: base64 JSON
/// whose object-identifier claim is what owns data.
/// </summary>
public static class ClientPrincipalHeader
{
    public static string For(string objectId) => Convert.ToBase64String(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new
    {
        auth_typ = "aad",
        name_typ = "name",
        role_typ = "roles",
        claims = new[] { new { typ = "http://schemas.microsoft.com/identity/claims/objectidentifier", val = objectId }, new { typ = "name", val = "Test User" } },
    })));
}
