using System.Buffers;
using System.Globalization;
using System.Text;
using Azure.Storage.Blobs.Specialized;

namespace BertPlatform.Functions.Datasets;

/// <summary>
/// A read-only pass-through over the request body: whatever the validator reads is also cut into blocks and
/// staged on a block blob as it goes, so an upload of any size costs one block of memory. Staged blocks are
/// invisible until <see cref="CommitAsync"/>; an upload that is never committed leaves no blob behind.
/// </summary>
public sealed class BlockStagingStream(Stream source, BlockBlobClient blob, long maxBytes, int blockSize = BlockStagingStream.DefaultBlockSize) : Stream
{
    /// <summary>4 MiB: 50,000 blocks (the service's limit) then allow ~195 GiB.</summary>
    public const int DefaultBlockSize = 4 * 1024 * 1024;

    private readonly byte[] block = ArrayPool<byte>.Shared.Rent(blockSize);
    private readonly List<string> blockIds = [];
    private int filled;
    private long total;

    public long BytesRead => total;

    /// <summary>True once the block list is committed: from then on the blob is the dataset's and must stay.</summary>
    public bool Committed { get; private set; }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => total; set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await source.ReadAsync(buffer, cancellationToken);
        total += read;
        if (total > maxBytes) throw new UploadTooLargeException(maxBytes);
        var pending = buffer[..read];
        while (pending.Length > 0)
        {
            var take = Math.Min(pending.Length, blockSize - filled);
            pending[..take].CopyTo(block.AsMemory(filled));
            filled += take;
            pending = pending[take..];
            if (filled == blockSize) await StageBlockAsync(cancellationToken);
        }
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) =>
        ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    /// <summary>Reads (and stages) whatever the validator left unread, such as trailing blank lines.</summary>
    public async Task ReadToEndAsync(CancellationToken ct)
    {
        var rest = new byte[64 * 1024];
        while (await ReadAsync(rest, ct) > 0)
        {
        }
    }

    /// <summary>Reads whatever the validator left unread, stages the last block and commits the blob.</summary>
    public async Task CommitAsync(CancellationToken ct)
    {
        await ReadToEndAsync(ct);
        if (filled > 0) await StageBlockAsync(ct);
        await blob.CommitBlockListAsync(blockIds, cancellationToken: ct);
        Committed = true;
    }

    /// <summary>
    /// Throws away what was staged for an upload that will not be committed (rejected, cut off, failed): the
    /// service would otherwise keep (and bill) the uncommitted blocks for a week.
    /// </summary>
    public async Task DiscardAsync()
    {
        if (Committed || blockIds.Count == 0) return;
        await UncommittedBlocks.DiscardAsync(blob);
    }

    private async Task StageBlockAsync(CancellationToken ct)
    {
        // Block ids must all have the same length: a zero-padded counter, base64-encoded.
        var id = Convert.ToBase64String(Encoding.ASCII.GetBytes(blockIds.Count.ToString("D6", CultureInfo.InvariantCulture)));
        using var content = new MemoryStream(block, 0, filled, writable: false);
        await blob.StageBlockAsync(id, content, cancellationToken: ct);
        blockIds.Add(id);
        filled = 0;
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) ArrayPool<byte>.Shared.Return(block);
        base.Dispose(disposing);
    }
}

public sealed class UploadTooLargeException(long limit) : Exception($"The upload exceeds the limit of {limit} bytes.")
{
    public long Limit { get; } = limit;
}
