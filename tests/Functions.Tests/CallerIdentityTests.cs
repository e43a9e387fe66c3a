using BertPlatform.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace BertPlatform.Functions.Tests;

public sealed class CallerIdentityTests
{
    [Fact]
    public void The_signed_in_user_owns_the_request_where_app_service_authentication_is_trusted()
    {
        var caller = new CallerIdentity(Options.Create(new ApiOptions { TrustClientPrincipalHeader = true }));

        Assert.Equal("user:oid-123", caller.Resolve(Request(principal: "oid-123", key: "some-key")));
    }

    [Fact]
    public void A_forged_principal_header_is_ignored_where_app_service_authentication_is_not_in_front()
    {
        var caller = new CallerIdentity(Options.Create(new ApiOptions { TrustClientPrincipalHeader = false }));

        Assert.Null(caller.Resolve(Request(principal: "someone-else")));
        Assert.StartsWith("key:", caller.Resolve(Request(principal: "someone-else", key: "my-key")));
    }

    [Fact]
    public void The_same_key_is_the_same_owner_and_a_request_with_no_identity_is_nobody_in_Azure()
    {
        var caller = new CallerIdentity(Options.Create(new ApiOptions()));

        Assert.Equal(caller.Resolve(Request(key: "k1")), caller.Resolve(Request(code: "k1")));
        Assert.NotEqual(caller.Resolve(Request(key: "k1")), caller.Resolve(Request(key: "k2")));
        Assert.Null(caller.Resolve(Request()));
        Assert.Equal("local", new CallerIdentity(Options.Create(new ApiOptions { DefaultOwner = "local" })).Resolve(Request()));
    }

    private static HttpRequest Request(string? principal = null, string? key = null, string? code = null)
    {
        var context = new DefaultHttpContext();
        if (principal is not null) context.Request.Headers[CallerIdentity.ClientPrincipalHeader] = PlatformFixture.ClientPrincipal(principal);
        if (key is not null) context.Request.Headers["x-functions-key"] = key;
        if (code is not null) context.Request.QueryString = new QueryString("?code=" + code);
        return context.Request;
    }
}
