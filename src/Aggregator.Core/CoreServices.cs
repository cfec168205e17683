using Aggregator.Core.Entities;
using Aggregator.Core.Feeds;
using Aggregator.Core.Fetching;
using Aggregator.Core.Ingestion;
using Aggregator.Core.Languages;
using Aggregator.Core.Tagging;
using Aggregator.Nlp;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Aggregator.Core;

public static class CoreServices
{
    /// <summary>The pipeline stages shared by the API, the jobs and the CLI.</summary>
    public static IServiceCollection AddAggregatorCore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddFetching(configuration);
        services.Configure<IngestionOptions>(configuration.GetSection(IngestionOptions.Section));
        services.Configure<EntityOptions>(configuration.GetSection(EntityOptions.Section));
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(_ => NerPipeline.Default);
        services.Configure<LanguageOptions>(configuration.GetSection(LanguageOptions.Section));
        services.AddSingleton<LanguageDetection>();
        services.AddSingleton<StoryTagger>();
        services.AddSingleton<StoryBuilder>();
        services.AddSingleton<EntityDirectory>();
        services.AddSingleton<EntityEditor>();
        services.AddSingleton<Retagger>();
        services.AddSingleton<FeedPoller>();
        services.AddSingleton<FeedService>();
        services.AddSingleton<FeedDiscovery>();
        return services;
    }
}
