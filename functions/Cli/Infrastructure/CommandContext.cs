using System.CommandLine;
using Serverless.Cli.Output;
using Serverless.Tracking.Client;

namespace Serverless.Cli.Infrastructure;

/// <summary>What a command's action works with: its parsed arguments, the output, and lazily created clients.</summary>
internal sealed class CommandContext : IDisposable
{
    private ServerSettings? _server;
    private PlatformClient? _platform;
    private HttpClient? _mlflowHttp;
    private MlflowClient? _mlflow;

    /// <summary>Creates the context for one invocation.</summary>
    public CommandContext(ParseResult parseResult, CliOutput output, CancellationToken cancellationToken)
    {
        ParseResult = parseResult;
        Output = output;
        CancellationToken = cancellationToken;
    }

    /// <summary>The parsed command line.</summary>
    public ParseResult ParseResult { get; }

    /// <summary>Where results and notes go.</summary>
    public CliOutput Output { get; }

    /// <summary>Cancelled on Ctrl+C.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>The server address and credentials.</summary>
    public ServerSettings Server => _server ??= ServerSettings.Resolve(ParseResult.GetValue(GlobalOptions.Server));

    /// <summary>The platform API client.</summary>
    public PlatformClient Platform => _platform ??= new PlatformClient(Server);

    /// <summary>The MLflow REST client for the same server.</summary>
    public MlflowClient Mlflow
    {
        get
        {
            if (_mlflow is null)
            {
                _mlflowHttp = Server.CreateHttpClient();
                _mlflow = new MlflowClient(Server.BaseAddress, _mlflowHttp);
            }

            return _mlflow;
        }
    }

    /// <summary>The value of an argument or option.</summary>
    public T? Get<T>(Argument<T> argument) => ParseResult.GetValue(argument);

    /// <summary>The value of an option.</summary>
    public T? Get<T>(Option<T> option) => ParseResult.GetValue(option);

    /// <inheritdoc />
    public void Dispose()
    {
        _platform?.Dispose();
        _mlflow?.Dispose();
        _mlflowHttp?.Dispose();
    }
}
