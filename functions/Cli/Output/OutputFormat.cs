namespace Serverless.Cli.Output;

/// <summary>How a command prints its result.</summary>
internal enum OutputFormat
{
    /// <summary>Human-readable tables and lines.</summary>
    Table,

    /// <summary>One JSON document on stdout (camelCase) and nothing else; messages go to stderr.</summary>
    Json,
}
