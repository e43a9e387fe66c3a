namespace BertPlatform.Shared.Tokenization;

/// <summary>A range of UTF-16 char offsets into the caller's original text; <see cref="End"/> is exclusive.</summary>
public readonly record struct TextSpan(int Start, int End)
{
    public int Length => End - Start;

    public string Slice(string text) => text.Substring(Start, End - Start);
}
