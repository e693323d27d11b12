namespace Serverless.Tracking.Client;

/// <summary>One page of a search result.</summary>
/// <typeparam name="T">Item type.</typeparam>
/// <param name="Items">The items on this page.</param>
/// <param name="NextPageToken">Token for the next page; null on the last page.</param>
public sealed record MlflowPage<T>(IReadOnlyList<T> Items, string? NextPageToken);
