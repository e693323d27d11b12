using Serverless.Cli;
using Serverless.Schedules.Definition;

// Local validation must report what the server would: the schedules block is checked by its own context.
ScheduleValidation.Register();
return await CliApp.RunAsync(args);
