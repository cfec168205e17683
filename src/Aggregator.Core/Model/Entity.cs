using Aggregator.Nlp;

namespace Aggregator.Core.Model;

/// <summary>An entity across stories, with how often it was mentioned and in how many stories.</summary>
public sealed record EntitySummary(long Id, string Name, EntityType Type, long Mentions, long Stories);

public sealed record EntityQuery
{
    public EntityType? Type { get; init; }
    /// <summary>Matches names and aliases starting with this text, case-insensitive.</summary>
    public string? Prefix { get; init; }
    public DateTimeOffset? From { get; init; }
    public DateTimeOffset? To { get; init; }
    public int Limit { get; init; } = 50;
}
