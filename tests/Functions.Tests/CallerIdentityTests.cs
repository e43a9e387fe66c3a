using System.Security.Cryptography;
using System.Text;
using BertPlatform.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace BertPlatform.Functions.Tests;

public sealed class CallerIdentityTests
{
    private const string ObjectId = "6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b";

    private static CallerIdentity Caller(bool trustPrincipal = false, string? defaultOwner = null, string? keyOwners = null) =>
        new(Options.Create(new ApiOptions { TrustClientPrincipalHeader = trustPrincipal, DefaultOwner = defaultOwner, KeyOwners = keyOwners }));

    [Fact]
    public void The_signed_in_principals_object_id_owns_the_request_where_app_service_authentication_is_trusted()
    {
        var caller = Caller(trustPrincipal: true);

        Assert.Equal("user:" + ObjectId, caller.Resolve(Request(principal: ClientPrincipalHeader.For(ObjectId), key: "some-key")));
        Assert.Equal("user:" + ObjectId, caller.Resolve(Request(principal: ClientPrincipalHeader.For(ObjectId.ToUpperInvariant()), principalId: ObjectId)));
    }

    [Theory]
    [InlineData("not base64 at all!")]
    [InlineData("bm90IGpzb24=")]                               // "not json"
    [InlineData("eyJjbGFpbXMiOiA0Mn0=")]                       // {"claims": 42}
    [InlineData("eyJjbGFpbXMiOiBbeyJ0eXAiOiAibmFtZSIsICJ2YWwiOiAiQWxpY2UifV19")] // a name but no object id
    public void A_malformed_or_unverifiable_principal_header_is_refused_not_passed_over(string header)
    {
        var caller = Caller(trustPrincipal: true, defaultOwner: "local");

        // Even with a valid key and a default owner to fall back on: 401, never someone else's data.
        Assert.Null(caller.Resolve(Request(principal: header, key: "some-key")));
        Assert.Null(caller.Resolve(Request(principal: header)));
    }

    [Fact]
    public void A_principal_id_header_that_disagrees_with_the_principal_or_comes_alone_is_refused()
    {
        var caller = Caller(trustPrincipal: true, defaultOwner: "local");

        Assert.Null(caller.Resolve(Request(principal: ClientPrincipalHeader.For(ObjectId), principalId: Guid.NewGuid().ToString())));
        Assert.Null(caller.Resolve(Request(principalId: ObjectId, key: "some-key")));
    }

    [Fact]
    public void A_forged_principal_header_is_ignored_where_app_service_authentication_is_not_in_front()
    {
        var caller = Caller(trustPrincipal: false);

        Assert.Null(caller.Resolve(Request(principal: ClientPrincipalHeader.For(ObjectId))));
        Assert.StartsWith("key:", caller.Resolve(Request(principal: ClientPrincipalHeader.For(ObjectId), key: "my-key")));
    }

    [Fact]
    public void A_mapped_key_owner_survives_rotating_the_key()
    {
        var caller = Caller(keyOwners: $"ci-pipeline={Digest("old-key")}, {Digest("new-key").ToUpperInvariant()}; alice={Digest("alice-key")}");

        Assert.Equal("key:ci-pipeline", caller.Resolve(Request(key: "old-key")));
        Assert.Equal("key:ci-pipeline", caller.Resolve(Request(code: "new-key")));
        Assert.Equal("key:alice", caller.Resolve(Request(key: "alice-key")));
        // An unmapped key is its own owner, named by its digest, and a different key is someone else.
        Assert.Equal("key:" + Digest("other-key")[..16], caller.Resolve(Request(key: "other-key")));
    }

    [Fact]
    public void The_same_key_is_the_same_owner_and_a_request_with_no_identity_is_nobody_in_Azure()
    {
        var caller = Caller();

        Assert.Equal(caller.Resolve(Request(key: "k1")), caller.Resolve(Request(code: "k1")));
        Assert.NotEqual(caller.Resolve(Request(key: "k1")), caller.Resolve(Request(key: "k2")));
        Assert.Null(caller.Resolve(Request()));
        Assert.Equal("local", Caller(defaultOwner: "local").Resolve(Request()));
    }

    [Theory]
    [InlineData("ci-pipeline", "entry 1 ('ci-pipeline'): expected owner=sha256hex")]
    [InlineData("=abc", "entry 1 ('=abc'): expected owner=sha256hex")]
    [InlineData("a=0123;b=zz", "entry 1 ('a=0123'): expected 64 hex digits (a key's SHA-256) where it has '0123'")]
    public void A_malformed_key_owner_map_is_refused_with_the_entry_named(string map, string expected)
    {
        var error = Assert.Throws<FormatException>(() => KeyOwnerMap.Parse(map));
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void A_key_under_two_owners_is_refused()
    {
        var digest = Digest("shared-key");
        var error = Assert.Throws<FormatException>(() => KeyOwnerMap.Parse($"a={digest};b={digest}"));
        Assert.Contains($"entry 2 ('b={digest}'): expected each key under one owner, but {digest} is also under 'a'", error.Message);
    }

    private static string Digest(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    private static HttpRequest Request(string? principal = null, string? principalId = null, string? key = null, string? code = null)
    {
        var context = new DefaultHttpContext();
        if (principal is not null) context.Request.Headers[CallerIdentity.ClientPrincipalHeader] = principal;
        if (principalId is not null) context.Request.Headers[CallerIdentity.ClientPrincipalIdHeader] = principalId;
        if (key is not null) context.Request.Headers["x-functions-key"] = key;
        if (code is not null) context.Request.QueryString = new QueryString("?code=" + code);
        return context.Request;
    }
}
