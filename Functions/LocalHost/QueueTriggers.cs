using System.Reflection;
using System.Runtime.ExceptionServices;
using Azure.Storage.Queues.Models;
using BertPlatform.Shared.Storage;
using Microsoft.Azure.Functions.Worker;

namespace BertPlatform.Functions.LocalHost;

/// <summary>
/// Runs the Functions project's queue-triggered functions the way the Functions host would: every <c>[Function]</c>
/// method with a <c>[QueueTrigger]</c> <see cref="QueueMessage"/> parameter is called for each message of its storage
/// queue; a message is deleted once its function returns, made visible again soon when it throws, and moved to
/// <c>{queue}-poison</c> after <see cref="MaxDeliveries"/> deliveries, as the host does.
/// </summary>
public sealed class QueueTriggers(IServiceProvider services, StorageClients storage, IConfiguration configuration, ILogger<QueueTriggers> logger)
    : BackgroundService
{
    public const int MaxDeliveries = 5;

    /// <summary>Long enough for a large validation; a crashed delivery comes back after it.</summary>
    private static readonly TimeSpan Visibility = TimeSpan.FromMinutes(10);

    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(2);

    public static IReadOnlyList<(string Queue, Type Type, MethodInfo Method)> Discover(Assembly assembly) =>
        (from type in assembly.GetExportedTypes()
         from method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance)
         where method.GetCustomAttribute<FunctionAttribute>() is not null
         let trigger = method.GetParameters().Select(p => p.GetCustomAttribute<QueueTriggerAttribute>()).FirstOrDefault(a => a is not null)
         where trigger is not null
         select (trigger.QueueName, type, method))
        .ToList();

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = configuration.GetValue("LocalHost:QueuePollInterval", TimeSpan.FromMilliseconds(500));
        return Task.WhenAll(Discover(typeof(ApiServices).Assembly).Select(f => PollAsync(f.Queue, f.Type, f.Method, interval, stoppingToken)));
    }

    private async Task PollAsync(string queueName, Type type, MethodInfo method, TimeSpan interval, CancellationToken ct)
    {
        var queue = storage.Queues.GetQueueClient(queueName);
        try
        {
            await queue.CreateIfNotExistsAsync(cancellationToken: ct);
            while (!ct.IsCancellationRequested)
            {
                var messages = (await queue.ReceiveMessagesAsync(16, Visibility, ct)).Value;
                if (messages.Length == 0) await Task.Delay(interval, ct);
                // One at a time, like a host with batch size 1: a validation holds a read buffer, not more.
                foreach (var message in messages) await DeliverAsync(queue, message, type, method, ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    private async Task DeliverAsync(Azure.Storage.Queues.QueueClient queue, QueueMessage message, Type type, MethodInfo method, CancellationToken ct)
    {
        try
        {
            using var scope = services.CreateScope();
            var target = scope.ServiceProvider.GetRequiredService(type);
            await InvokeAsync(target, method, message, ct);
            await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, CancellationToken.None);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            logger.LogError(e, "{Function} failed on message {MessageId} (delivery {Count})", method.Name, message.MessageId, message.DequeueCount);
            if (message.DequeueCount >= MaxDeliveries)
            {
                await storage.Queues.GetQueueClient(queue.Name + "-poison").CreateIfNotExistsAsync(cancellationToken: CancellationToken.None);
                await storage.Queues.GetQueueClient(queue.Name + "-poison").SendMessageAsync(message.Body, cancellationToken: CancellationToken.None);
                await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, CancellationToken.None);
            }
            else
            {
                await queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: RetryDelay, cancellationToken: CancellationToken.None);
            }
        }
    }

    private static async Task InvokeAsync(object target, MethodInfo method, QueueMessage message, CancellationToken ct)
    {
        var arguments = method.GetParameters().Select(p =>
            p.ParameterType == typeof(QueueMessage) ? message
            : p.ParameterType == typeof(CancellationToken) ? (object)ct
            : throw new InvalidOperationException($"The local host cannot bind parameter '{p.Name}' of {method.DeclaringType?.Name}.{method.Name}.")).ToArray();
        try
        {
            if (method.Invoke(target, arguments) is Task task) await task;
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            ExceptionDispatchInfo.Capture(e.InnerException).Throw();
        }
    }
}
