namespace Aggregator.Nlp.Tokenization;

/// <summary>Layout facts about a token gathered by the tokenizer and sentence splitter.</summary>
[Flags]
public enum TokenFlags : byte
{
    None = 0,
    /// <summary>First token of a sentence.</summary>
    SentenceStart = 1,
    /// <summary>First token of a paragraph (start of text or after a blank line).</summary>
    ParagraphStart = 2,
    /// <summary>A line break occurs between the previous token and this one.</summary>
    NewlineBefore = 4,
    /// <summary>Whitespace occurs between the previous token and this one.</summary>
    SpaceBefore = 8,
}

/// <summary>A token as a pair of UTF-16 offsets into the original text (end exclusive). The text is never copied.</summary>
public struct Token
{
    public int Start;
    public int End;
    public TokenFlags Flags;

    public Token(int start, int end, TokenFlags flags = TokenFlags.None)
    {
        Start = start;
        End = end;
        Flags = flags;
    }

    public readonly int Length => End - Start;
    public readonly bool IsSentenceStart => (Flags & TokenFlags.SentenceStart) != 0;
    public readonly ReadOnlySpan<char> Span(string text) => text.AsSpan(Start, End - Start);
    public readonly string Text(string text) => text.Substring(Start, End - Start);
    public override readonly string ToString() => $"[{Start},{End})";
}
