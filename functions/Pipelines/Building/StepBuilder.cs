using Serverless.Pipelines.Definition;

namespace Serverless.Pipelines.Building;

/// <summary>Configures one step for <see cref="PipelineBuilder"/>.</summary>
public sealed class StepBuilder
{
    private readonly string _name;
    private readonly Dictionary<string, string> _env = new(StringComparer.Ordinal);
    private readonly List<StepInput> _inputs = [];
    private readonly List<StepOutput> _outputs = [];
    private readonly List<string> _needs = [];
    private string _command = string.Empty;
    private string? _when;
    private ForEachSpec? _forEach;
    private RetryPolicy _retries = RetryPolicy.None;
    private TimeSpan? _timeout;
    private ComputeSpec _compute = ComputeSpec.Local;
    private bool _cache = true;

    internal StepBuilder(string name)
    {
        _name = name;
    }

    /// <summary>Sets the shell command.</summary>
    public StepBuilder Command(string command)
    {
        _command = command;
        return this;
    }

    /// <summary>Adds an environment variable.</summary>
    public StepBuilder Env(string name, string value)
    {
        _env[name] = value;
        return this;
    }

    /// <summary>Adds an input from another step's output, e.g. <c>${{ steps.train.outputs.model }}</c>.</summary>
    public StepBuilder Input(string name, string stepOutputReference)
    {
        _inputs.Add(new StepInput { Name = name, Source = InputSource.StepOutput, Template = stepOutputReference });
        return this;
    }

    /// <summary>Adds an input read from a URI (<c>package:</c>, <c>file:</c>, <c>blob:</c> or a package-relative path).</summary>
    public StepBuilder UriInput(string name, string uri)
    {
        _inputs.Add(new StepInput { Name = name, Source = InputSource.Uri, Template = uri });
        return this;
    }

    /// <summary>Adds a small value input: a literal (string, number, bool, list) or a template string.</summary>
    public StepBuilder ValueInput(string name, object value, PipelineType? type = null)
    {
        var template = value is string s ? s : PipelineBuilder.ToValue(value) is var v && v.Type == PipelineType.List ? "${{ " + v.ToJson() + " }}" : v.ToString();
        var inferred = value is string ? type : type ?? PipelineBuilder.ToValue(value).Type;
        _inputs.Add(new StepInput { Name = name, Source = InputSource.Value, Template = template, ValueType = inferred });
        return this;
    }

    /// <summary>Declares an artifact output (a file or directory the step writes to <c>$SERVERLESS_OUTPUTS/NAME</c>).</summary>
    public StepBuilder ArtifactOutput(string name)
    {
        _outputs.Add(new StepOutput { Name = name, Kind = OutputKind.Artifact });
        return this;
    }

    /// <summary>Declares a small typed value output.</summary>
    public StepBuilder ValueOutput(string name, PipelineType type)
    {
        _outputs.Add(new StepOutput { Name = name, Kind = OutputKind.Value, ValueType = type });
        return this;
    }

    /// <summary>Adds explicit dependencies.</summary>
    public StepBuilder Needs(params string[] steps)
    {
        _needs.AddRange(steps);
        return this;
    }

    /// <summary>Sets the condition.</summary>
    public StepBuilder When(string condition)
    {
        _when = condition;
        return this;
    }

    /// <summary>Runs the step once per literal item.</summary>
    public StepBuilder ForEach(IEnumerable<object> items, int concurrency = 0)
    {
        _forEach = new ForEachSpec { Items = items.Select(PipelineBuilder.ToValue).ToList(), Concurrency = concurrency };
        return this;
    }

    /// <summary>Runs the step once per item of the list <paramref name="itemsExpression"/> yields.</summary>
    public StepBuilder ForEach(string itemsExpression, int concurrency = 0)
    {
        _forEach = new ForEachSpec { ItemsExpression = itemsExpression, Concurrency = concurrency };
        return this;
    }

    /// <summary>Sets the retry policy.</summary>
    public StepBuilder Retries(int maxAttempts, TimeSpan? initialBackoff = null, TimeSpan? maxBackoff = null, double multiplier = 2.0)
    {
        _retries = new RetryPolicy
        {
            MaxAttempts = maxAttempts,
            InitialBackoff = initialBackoff ?? RetryPolicy.None.InitialBackoff,
            MaxBackoff = maxBackoff ?? RetryPolicy.None.MaxBackoff,
            Multiplier = multiplier,
        };
        return this;
    }

    /// <summary>Sets the per-attempt time limit.</summary>
    public StepBuilder Timeout(TimeSpan timeout)
    {
        _timeout = timeout;
        return this;
    }

    /// <summary>Sets the compute target and resources.</summary>
    public StepBuilder Compute(ComputeTarget target, ResourceRequest? resources = null)
    {
        _compute = new ComputeSpec { Target = target, Resources = resources ?? new ResourceRequest() };
        return this;
    }

    /// <summary>Turns caching on or off.</summary>
    public StepBuilder Cache(bool enabled)
    {
        _cache = enabled;
        return this;
    }

    internal StepDefinition Build() => new()
    {
        Name = _name,
        Command = _command,
        Env = new Dictionary<string, string>(_env, StringComparer.Ordinal),
        Inputs = _inputs.ToList(),
        Outputs = _outputs.ToList(),
        Needs = _needs.ToList(),
        When = _when,
        ForEach = _forEach,
        Retries = _retries,
        Timeout = _timeout,
        Compute = _compute,
        Cache = _cache,
    };
}
