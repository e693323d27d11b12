namespace Serverless.Tracking.Client;

/// <summary>An alias (e.g. <c>champion</c>) pointing at one version of a registered model.</summary>
/// <param name="Alias">Alias name.</param>
/// <param name="Version">Version number as a string.</param>
public sealed record RegisteredModelAlias(string Alias, string Version);
