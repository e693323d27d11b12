namespace Serverless.Orchestration;

/// <summary>
/// A bounded context's orchestrators and activities. A host registers modules as services and adds every
/// module to its one <see cref="OrchestrationRegistry"/>, so contexts plug in without the host knowing them.
/// </summary>
public interface IOrchestrationModule
{
    /// <summary>Adds the module's orchestrators and activities.</summary>
    /// <param name="registry">The host's registry.</param>
    /// <param name="services">The host's services, for activities that need clients or options.</param>
    void Register(OrchestrationRegistry registry, IServiceProvider services);
}
