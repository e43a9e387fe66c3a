using BertPlatform.Functions;
using BertPlatform.Functions.LocalHost;
using BertPlatform.Shared.Configuration;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.FileProviders;

// The Functions API without Core Tools: the same function classes and service registration as Functions/Program.cs.
var builder = WebApplication.CreateBuilder(args);
// The host's own appsettings.json sits beside its dll; read it whatever the working directory, below every other
// source (a working directory's appsettings.json, environment variables, arguments) so those still override it.
builder.Configuration.Sources.Insert(0, new JsonConfigurationSource
{
    Path = "appsettings.json", Optional = true, FileProvider = new PhysicalFileProvider(AppContext.BaseDirectory),
});
if (StartupCheck.MissingSettings(builder.Configuration, AppSettings.FunctionsApp, "The local Functions host") is { } missing)
{
    Console.Error.WriteLine(missing);
    return StartupCheck.ConfigurationExitCode;
}
builder.Services.AddBertPlatformApi(builder.Configuration);
builder.Services.AddMvcCore();
builder.Services.AddHostedService<QueueTriggers>();

var app = builder.Build();
app.MapFunctions(typeof(ApiServices).Assembly, routePrefix: "api");
app.Run();
return 0;
