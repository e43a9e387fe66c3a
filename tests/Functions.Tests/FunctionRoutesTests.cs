using System.Reflection;
using BertPlatform.Functions.LocalHost;
using Microsoft.Azure.Functions.Worker;

namespace BertPlatform.Functions.Tests;

public sealed class FunctionRoutesTests
{
    [Fact]
    public void The_local_host_serves_every_http_function_at_the_route_its_attributes_declare()
    {
        var routes = FunctionEndpoints.Discover(typeof(ApiServices).Assembly)
            .Select(r => $"{string.Join('|', r.Methods)} {r.Route}")
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.Equal(
        [
            "DELETE datasets/{id}",
            "DELETE jobs/{id}",
            "DELETE models/{id}",
            "GET console/{*path}",
            "GET datasets",
            "GET datasets/{id}",
            "GET datasets/{id}/report",
            "GET jobs",
            "GET jobs/{id}",
            "GET jobs/{id}/events",
            "GET jobs/{id}/predictions",
            "GET models",
            "GET models/{id}",
            "GET models/{id}/files/{*path}",
            "GET openapi.json",
            "POST batch-predictions",
            "POST datasets",
            "POST datasets/uploads",
            "POST datasets/{id}/complete",
            "POST jobs",
            "POST jobs/{id}/cancel",
            "POST models/{id}/predict",
        ], routes);
    }

    [Fact]
    public void Every_function_requires_a_function_key_in_Azure()
    {
        var triggers = typeof(ApiServices).Assembly.GetExportedTypes()
            .SelectMany(t => t.GetMethods())
            .Where(m => m.GetCustomAttribute<FunctionAttribute>() is not null)
            .Select(m => (m.Name, Trigger: m.GetParameters().Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()).SingleOrDefault(a => a is not null)))
            .Where(t => t.Trigger is not null)
            .Select(t => (t.Name, Trigger: t.Trigger!))
            .ToList();

        Assert.Equal(22, triggers.Count);
        Assert.All(triggers, t => Assert.True(t.Trigger.AuthLevel == AuthorizationLevel.Function, t.Name));
    }

    [Fact]
    public void The_local_host_polls_the_queue_of_every_queue_triggered_function()
    {
        var queues = QueueTriggers.Discover(typeof(ApiServices).Assembly).Select(f => $"{f.Queue} {f.Method.Name}").ToList();

        Assert.Equal(["dataset-uploads ProcessDatasetUpload"], queues);
    }
}
