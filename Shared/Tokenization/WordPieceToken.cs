namespace BertPlatform.Shared.Tokenization;

/// <summary>One WordPiece token with the characters of the original text it came from.</summary>
public sealed record WordPieceToken(int Id, string Token, TextSpan Span);
