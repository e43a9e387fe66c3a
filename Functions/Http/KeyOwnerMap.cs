namespace BertPlatform.Functions.Http;

/// <summary>
/// <c>Api:KeyOwners</c>: which owner each function key acts as, by the key's SHA-256 (hex), written
/// <c>owner=digest[,digest...][;owner=digest...]</c>. Digests, not keys, so the setting holds no secret; a rotated key
/// is added under the same owner, so the owner and its data stay.
/// </summary>
public static class KeyOwnerMap
{
    /// <summary>Digest (lower-case hex) → owner. Throws <see cref="FormatException"/> naming the entry that is wrong.</summary>
    public static IReadOnlyDictionary<string, string> Parse(string? text)
    {
        var owners = new Dictionary<string, string>(StringComparer.Ordinal);
        var entries = (text ?? "").Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < entries.Length; i++)
        {
            var entry = entries[i];
            var parts = entry.Split('=', 2, StringSplitOptions.TrimEntries);
            if (parts.Length != 2 || parts[0].Length == 0)
                throw Invalid(i, entry, "owner=sha256hex[,sha256hex...]");
            foreach (var digest in parts[1].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (digest.Length != 64 || !digest.All(Uri.IsHexDigit))
                    throw Invalid(i, entry, $"64 hex digits (a key's SHA-256) where it has '{digest}'");
                var key = digest.ToLowerInvariant();
                if (owners.TryGetValue(key, out var other) && other != parts[0])
                    throw Invalid(i, entry, $"each key under one owner, but {digest} is also under '{other}'");
                owners[key] = parts[0];
            }
        }
        return owners;
    }

    private static FormatException Invalid(int index, string entry, string expected) =>
        new($"Api:KeyOwners entry {index + 1} ('{entry}'): expected {expected}.");
}
