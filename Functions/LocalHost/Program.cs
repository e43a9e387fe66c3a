using BertPlatform.Functions;
using BertPlatform.Functions.LocalHost;

// The Functions API without Core Tools: the same function classes and service registration as Functions/Program.cs.
var builder = WebApplication.CreateBuilder(args);
builder.Services.AddBertPlatformApi(builder.Configuration);
builder.Services.AddMvcCore();
builder.Services.AddHostedService<QueueTriggers>();

var app = builder.Build();
app.MapFunctions(typeof(ApiServices).Assembly, routePrefix: "api");
app.Run();
