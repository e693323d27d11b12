using Serverless.Cli;
using Serverless.Schedules.Definition;
using Serverless.Sweeps.Orchestration;

// Local validation must report what the server would: the schedules and sweep blocks are checked by their own contexts.
ScheduleValidation.Register();
SweepValidation.Register();
return await CliApp.RunAsync(args);
