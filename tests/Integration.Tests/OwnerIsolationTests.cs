using System.Net;
using System.Net.Http.Json;

namespace BertPlatform.Integration.Tests;

[Collection("platform")]
public sealed class OwnerIsolationTests(PlatformFixture platform)
{
    [Fact]
    public async Task One_caller_can_neither_list_nor_read_nor_change_anothers_data()
    {
        await TestBaseModel.EnsureSeededAsync(platform);
        using var alice = platform.Client(PlatformFixture.NewUser());
        using var bob = platform.Client(PlatformFixture.NewUser());
        var dataset = await PlatformFixture.UploadAsync(alice, PlatformFixture.SampleCsv());
        var job = await PlatformFixture.SubmitAsync(alice, new { trainingDataset = dataset.Id, baseModel = TestBaseModel.Name });

        Assert.Equal("[]", await bob.GetStringAsync("api/datasets"));
        Assert.Equal("[]", await bob.GetStringAsync("api/jobs"));
        Assert.Equal(HttpStatusCode.NotFound, (await bob.GetAsync($"api/datasets/{dataset.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await bob.DeleteAsync($"api/datasets/{dataset.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await bob.GetAsync($"api/jobs/{job.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await bob.GetAsync($"api/jobs/{job.Id}/events")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await bob.PostAsync($"api/jobs/{job.Id}/cancel", null)).StatusCode);
        // Bob cannot train on Alice's data either.
        var stolen = await bob.PostAsJsonAsync("api/jobs", new { trainingDataset = dataset.Id, baseModel = TestBaseModel.Name });
        Assert.Equal(HttpStatusCode.BadRequest, stolen.StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await alice.GetAsync($"api/datasets/{dataset.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await alice.GetAsync($"api/jobs/{job.Id}")).StatusCode);
    }

    [Fact]
    public async Task A_caller_without_identity_is_the_local_default_owner()
    {
        using var anonymous = platform.Client();
        var dataset = await PlatformFixture.UploadAsync(anonymous, PlatformFixture.SampleCsv(), "local-data");

        Assert.Equal("local", dataset.Owner);
    }

    [Fact]
    public async Task Callers_with_different_function_keys_own_different_data()
    {
        using var first = platform.Client();
        first.DefaultRequestHeaders.Add("x-functions-key", "key-one-" + Guid.NewGuid());
        using var second = platform.Client();
        second.DefaultRequestHeaders.Add("x-functions-key", "key-two-" + Guid.NewGuid());

        var dataset = await PlatformFixture.UploadAsync(first, PlatformFixture.SampleCsv(), "keyed");

        Assert.StartsWith("key:", dataset.Owner);
        Assert.Equal(HttpStatusCode.NotFound, (await second.GetAsync($"api/datasets/{dataset.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await first.GetAsync($"api/datasets/{dataset.Id}")).StatusCode);
    }
}
