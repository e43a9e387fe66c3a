using System.Net;
using System.Text;

namespace BertPlatform.Integration.Tests;

/// <summary>Rejected and cut-off HTTP uploads leave nothing in storage: no blob, no uncommitted block, no row.</summary>
[Collection("platform")]
public sealed class UploadCleanupTests(PlatformFixture platform)
{
    [Fact]
    public async Task A_rejected_upload_larger_than_one_block_leaves_no_uncommitted_blocks()
    {
        var user = PlatformFixture.NewUser();
        using var client = platform.Client(user);
        // ~6 MB of valid rows stage a first 4 MiB block before the bad last row is read.
        var csv = PlatformFixture.SampleCsv(200_000) + ",positive\n";

        using var response = await client.PostAsync("api/datasets?name=bad&format=csv&task=text_classification",
            new StringContent(csv, Encoding.UTF8, "text/csv"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("row 200001", await response.Content.ReadAsStringAsync());
        await StorageLeftovers.AssertNoneAsync(platform, "user:" + user);
    }

    [Fact]
    public async Task An_upload_cut_off_halfway_leaves_nothing_behind()
    {
        var user = PlatformFixture.NewUser();
        using var client = platform.Client(user);
        var half = Encoding.UTF8.GetBytes(PlatformFixture.SampleCsv(300_000));   // ~9 MB: two blocks staged before the cut

        using var request = new HttpRequestMessage(HttpMethod.Post, "api/datasets?name=cut&format=csv&task=text_classification")
        {
            Content = new CutOffContent(half),
        };
        await Assert.ThrowsAnyAsync<Exception>(() => client.SendAsync(request));

        await StorageLeftovers.AssertNoneAsync(platform, "user:" + user, grace: TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task A_body_over_the_http_limit_is_refused_with_the_direct_upload_path()
    {
        var user = PlatformFixture.NewUser();
        using var client = platform.Client(user);
        var csv = PlatformFixture.SampleCsv(400_000);   // ~12 MB, over the fixture's 8 MiB HTTP limit

        using var request = new HttpRequestMessage(HttpMethod.Post, "api/datasets?name=huge&format=csv&task=text_classification")
        {
            Content = new StringContent(csv, Encoding.UTF8, "text/csv"),
        };
        // As curl does for large bodies: the server refuses before a byte of the body is sent.
        request.Headers.ExpectContinue = true;
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("/api/datasets/uploads", body);
        await StorageLeftovers.AssertNoneAsync(platform, "user:" + user);
    }

    [Fact]
    public async Task A_chunked_body_over_the_http_limit_is_refused_and_its_blocks_discarded()
    {
        var user = PlatformFixture.NewUser();
        using var client = platform.Client(user);
        // Just over the 8 MiB limit: the server reads the few bytes past it rather than cut the connection.
        var csv = Encoding.UTF8.GetBytes(PlatformFixture.SampleCsv(8 * 1024 * 1024 / 37 + 8_000));
        Assert.InRange(csv.Length, 8 * 1024 * 1024 + 1, 9 * 1024 * 1024);

        using var request = new HttpRequestMessage(HttpMethod.Post, "api/datasets?name=huge&format=csv&task=text_classification")
        {
            Content = new StreamContent(new UnknownLengthStream(csv)),   // no Content-Length: the limit is found while streaming
        };
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        await StorageLeftovers.AssertNoneAsync(platform, "user:" + user);
    }

    /// <summary>Sends its bytes, then fails, as a client does whose connection drops mid-upload.</summary>
    private sealed class CutOffContent(byte[] firstPart) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await stream.WriteAsync(firstPart);
            await stream.FlushAsync();
            await Task.Delay(1000);
            throw new IOException("the client went away");
        }

        protected override bool TryComputeLength(out long length)
        {
            length = firstPart.Length * 2L;
            return true;
        }
    }

    /// <summary>A stream that hides its length, so HttpClient sends it chunked.</summary>
    private sealed class UnknownLengthStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
