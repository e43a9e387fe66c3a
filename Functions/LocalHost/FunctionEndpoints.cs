using System.Reflection;
using System.Runtime.ExceptionServices;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.Azure.Functions.Worker;

namespace BertPlatform.Functions.LocalHost;

/// <summary>
/// Serves the Functions project's HTTP functions the way the Functions host would: every <c>[Function]</c> method
/// with an <c>[HttpTrigger]</c> parameter is mapped at <c>{routePrefix}/{Route}</c> for its methods, its class is
/// resolved from DI, and its <see cref="IActionResult"/> is executed. The routes come from the attributes only.
/// </summary>
public static class FunctionEndpoints
{
    public static IReadOnlyList<FunctionRoute> Discover(Assembly assembly) =>
        (from type in assembly.GetExportedTypes()
         from method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance)
         let function = method.GetCustomAttribute<FunctionAttribute>()
         where function is not null
         let trigger = method.GetParameters().Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()).FirstOrDefault(a => a is not null)
         where trigger is not null
         select new FunctionRoute(function.Name, type, method, trigger.Route ?? function.Name,
             (trigger.Methods ?? ["get", "post"]).Select(m => m.ToUpperInvariant()).ToArray()))
        .ToList();

    public static IReadOnlyList<FunctionRoute> MapFunctions(this IEndpointRouteBuilder endpoints, Assembly assembly, string routePrefix)
    {
        var routes = Discover(assembly);
        foreach (var route in routes)
            endpoints.MapMethods($"/{routePrefix}/{route.Route}", route.Methods, context => InvokeAsync(route, context))
                .WithName(route.Name);
        return routes;
    }

    private static async Task InvokeAsync(FunctionRoute route, HttpContext context)
    {
        var target = context.RequestServices.GetRequiredService(route.Type);
        var arguments = route.Method.GetParameters().Select(p => Bind(p, context)).ToArray();
        object? returned;
        try
        {
            returned = route.Method.Invoke(target, arguments);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }
        var result = returned switch
        {
            Task<IActionResult> task => await task,
            IActionResult direct => direct,
            _ => throw new InvalidOperationException($"Function {route.Name} returned {returned?.GetType().Name ?? "null"}, not an IActionResult."),
        };
        await result.ExecuteResultAsync(new ActionContext(context, context.GetRouteData(), new ActionDescriptor()));
    }

    private static object? Bind(ParameterInfo parameter, HttpContext context)
    {
        if (parameter.ParameterType == typeof(HttpRequest)) return context.Request;
        if (parameter.ParameterType == typeof(CancellationToken)) return context.RequestAborted;
        if (parameter.ParameterType == typeof(string)) return context.GetRouteValue(parameter.Name!)?.ToString();
        throw new InvalidOperationException(
            $"The local host cannot bind parameter '{parameter.Name}' ({parameter.ParameterType.Name}) of {parameter.Member.DeclaringType?.Name}.{parameter.Member.Name}.");
    }
}

/// <summary>One discovered HTTP function.</summary>
public sealed record FunctionRoute(string Name, Type Type, MethodInfo Method, string Route, string[] Methods);
