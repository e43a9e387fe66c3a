// Serverless GPU runners: a Container Apps environment with a GPU workload profile and an event-triggered job
// that starts one execution per queued message and costs nothing while the queue is empty. The job exists only once
// a runner image is given: before that nothing could take a message, and KEDA would start a GPU execution at every
// poll for as long as a job waited.

param location string
param tags object
param environmentName string
param jobName string
param logAnalyticsWorkspaceId string
@allowed(['Consumption-GPU-NC8as-T4', 'Consumption-GPU-NC24-A100'])
@description('Serverless GPU profile (one GPU per replica; the subscription needs GPU quota for it).')
param gpuWorkloadProfileType string
@description('Runner image in the registry. Empty (the first provision, before the image is built): no job is created.')
param runnerImage string
param registryLoginServer string
@description('Identity the runner runs as (storage, queue, image pull).')
param runnerIdentityId string
param runnerIdentityClientId string
@description('Identity the KEDA scaler authenticates with to read the queue length.')
param scalerIdentityId string
param blobEndpoint string
param tableEndpoint string
param serviceBusNamespaceName string
param serviceBusFullyQualifiedNamespace string
param jobQueueName string
@minValue(1)
@description('Most executions (GPUs) running at once.')
param maxExecutions int
@minValue(600)
@description('Longest a training run may take before the execution is stopped (DeadlineExceeded); the next delivery resumes from the last checkpoint.')
param replicaTimeoutSeconds int

var gpuProfileName = 'gpu'
// Whole-GPU serverless profiles: what one replica may ask for on each.
var gpuReplicaResources = {
  'Consumption-GPU-NC8as-T4': { cpu: json('8'), memory: '56Gi' }
  'Consumption-GPU-NC24-A100': { cpu: json('24'), memory: '220Gi' }
}

resource environment 'Microsoft.App/managedEnvironments@2024-03-01' = {
  name: environmentName
  location: location
  tags: tags
  properties: {
    // Logs leave through the diagnostic setting below, so no workspace key is ever handed to the environment.
    appLogsConfiguration: { destination: 'azure-monitor' }
    workloadProfiles: [
      { name: 'Consumption', workloadProfileType: 'Consumption' }
      { name: gpuProfileName, workloadProfileType: gpuWorkloadProfileType }
    ]
  }
}

resource environmentLogs 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: environment
  properties: {
    workspaceId: logAnalyticsWorkspaceId
    logs: [{ categoryGroup: 'allLogs', enabled: true }]
  }
}

// The scale rule's managed identity (JobScaleRule.identity) came with the KEDA managed-identity feature in
// 2024-02-02-preview, the version it was announced and confirmed working with (microsoft/azure-container-apps#592);
// 2024-03-01 does not have the property, and it has been reported not to attach on 2025-01-01. Pinned here, and the
// image is updated by redeploying this template (infra/scripts/build-runner-image.sh), never by a CLI call that
// rewrites the job with another API version.
resource runnerJob 'Microsoft.App/jobs@2024-02-02-preview' = if (!empty(runnerImage)) {
  name: jobName
  location: location
  tags: union(tags, { 'azd-service-name': 'runner' })
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${runnerIdentityId}': {}
      '${scalerIdentityId}': {}
    }
  }
  properties: {
    environmentId: environment.id
    workloadProfileName: gpuProfileName
    configuration: {
      triggerType: 'Event'
      replicaTimeout: replicaTimeoutSeconds
      // One in-place restart for a replica that crashes at start-up; retries of the job itself come from the queue
      // (redelivery after the lock lapses, resuming from the last checkpoint) and end at the delivery limit.
      replicaRetryLimit: 1
      registries: [{ server: registryLoginServer, identity: runnerIdentityId }]
      eventTriggerConfig: {
        parallelism: 1
        replicaCompletionCount: 1
        scale: {
          minExecutions: 0
          maxExecutions: maxExecutions
          pollingInterval: 30
          rules: [
            {
              name: 'job-queue'
              type: 'azure-servicebus'
              // KEDA's scaler takes the namespace name, not the host name.
              metadata: {
                namespace: serviceBusNamespaceName
                queueName: jobQueueName
                messageCount: '1'
              }
              identity: scalerIdentityId
            }
          ]
        }
      }
    }
    template: {
      containers: [
        {
          name: 'runner'
          image: runnerImage
          resources: gpuReplicaResources[gpuWorkloadProfileType]
          // Exactly AppSettings.GpuRunner (Shared/Configuration); Infra.Tests compares the two both ways.
          env: [
            { name: 'AZURE_CLIENT_ID', value: runnerIdentityClientId }
            { name: 'Storage__BlobServiceUri', value: blobEndpoint }
            { name: 'Storage__TableServiceUri', value: tableEndpoint }
            { name: 'JobQueue__Transport', value: 'ServiceBus' }
            { name: 'JobQueue__Name', value: jobQueueName }
            { name: 'JobQueue__ServiceBusNamespace', value: serviceBusFullyQualifiedNamespace }
            { name: 'Runner__Device', value: 'cuda' }
            { name: 'Runner__WorkDirectory', value: '/work/jobs' }
            { name: 'Runner__ExitWhenIdle', value: 'true' }
          ]
        }
      ]
    }
  }
}

output environmentName string = environment.name
output jobName string = empty(runnerImage) ? '' : jobName
