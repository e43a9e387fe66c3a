using BertPlatform.Shared.Configuration;
using BertPlatform.Functions;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

var builder = FunctionsApplication.CreateBuilder(args);
AppSettings.EnsurePresentInAzure(builder.Configuration, AppSettings.FunctionsApp, "The Functions app");
builder.ConfigureFunctionsWebApplication();
builder.Services.ConfigureFunctionsApplicationInsights();
builder.Services.AddBertPlatformApi(builder.Configuration);
builder.Build().Run();
