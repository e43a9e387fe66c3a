// The BERT fine-tuning platform in one resource group: HTTP API (Functions, Flex Consumption), storage, the job
// queue (Service Bus), serverless GPU runners (Container Apps job), registry, monitoring, identities and roles.
// Deploy with `azd up`, or `az deployment group create -g <rg> -f infra/main.bicep -p infra/main.parameters.json`.

import { roleAssignment, roleDefinitionIds } from 'modules/types.bicep'

targetScope = 'resourceGroup'

@minLength(1)
@maxLength(64)
@description('Environment name (azd: AZURE_ENV_NAME); it seeds the resource names.')
param environmentName string

@minLength(1)
@description('Region for every resource; it must offer serverless GPUs for the chosen profile.')
param location string = resourceGroup().location

@allowed(['Consumption-GPU-NC8as-T4', 'Consumption-GPU-NC24-A100'])
@description('Serverless GPU for the runners: T4 (16 GB) for base-size fine-tuning, A100 (80 GB) for long or large runs.')
param gpuWorkloadProfile string = 'Consumption-GPU-NC8as-T4'

@description('Runner image (e.g. crXXXX.azurecr.io/bert-runner:1). Empty: a public placeholder until the image is pushed.')
param runnerImage string = ''

@minValue(1)
@description('Most GPU runners at once (bounded by the subscription\'s serverless GPU quota).')
param maxRunners int = 2

@minValue(600)
@description('Longest single execution of the runner job, in seconds (default 24 h).')
param runnerTimeoutSeconds int = 86400

@description('Object id of the deploying user (azd: AZURE_PRINCIPAL_ID), granted data access to seed base models. Empty: none.')
param principalId string = ''

var abbrs = loadJsonContent('abbreviations.json')
var resourceToken = toLower(uniqueString(subscription().id, resourceGroup().id, environmentName, location))
var tags = { 'azd-env-name': environmentName }
var jobQueueName = 'jobs'
var placeholderImage = 'mcr.microsoft.com/k8se/quickstart-jobs:latest'

module identity 'modules/identity.bicep' = {
  name: 'identity'
  params: {
    location: location
    tags: tags
    apiIdentityName: '${abbrs.managedIdentityUserAssignedIdentities}api-${resourceToken}'
    runnerIdentityName: '${abbrs.managedIdentityUserAssignedIdentities}runner-${resourceToken}'
    scalerIdentityName: '${abbrs.managedIdentityUserAssignedIdentities}scaler-${resourceToken}'
  }
}

var api = identity.outputs.apiPrincipalId
var runner = identity.outputs.runnerPrincipalId
var deployerRoles roleAssignment[] = empty(principalId)
  ? []
  : [
      { principalId: principalId, principalType: 'User', roleDefinitionId: roleDefinitionIds.storageBlobDataContributor }
      { principalId: principalId, principalType: 'User', roleDefinitionId: roleDefinitionIds.storageTableDataContributor }
    ]

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    location: location
    tags: tags
    storageAccountName: '${abbrs.storageStorageAccounts}${resourceToken}'
    deploymentContainerName: 'app-package'
    roleAssignments: concat(
      [
        // The Functions host keeps keys and leases in blobs (it asks for Owner) and may use queues and tables.
        { principalId: api, principalType: 'ServicePrincipal', roleDefinitionId: roleDefinitionIds.storageBlobDataOwner }
        { principalId: api, principalType: 'ServicePrincipal', roleDefinitionId: roleDefinitionIds.storageQueueDataContributor }
        { principalId: api, principalType: 'ServicePrincipal', roleDefinitionId: roleDefinitionIds.storageTableDataContributor }
        { principalId: runner, principalType: 'ServicePrincipal', roleDefinitionId: roleDefinitionIds.storageBlobDataContributor }
        { principalId: runner, principalType: 'ServicePrincipal', roleDefinitionId: roleDefinitionIds.storageTableDataContributor }
      ],
      deployerRoles
    )
  }
}

module serviceBus 'modules/servicebus.bicep' = {
  name: 'servicebus'
  params: {
    location: location
    tags: tags
    namespaceName: '${abbrs.serviceBusNamespaces}${resourceToken}'
    queueName: jobQueueName
    roleAssignments: [
      { principalId: api, principalType: 'ServicePrincipal', roleDefinitionId: roleDefinitionIds.serviceBusDataSender }
      { principalId: runner, principalType: 'ServicePrincipal', roleDefinitionId: roleDefinitionIds.serviceBusDataReceiver }
      // The runner re-queues a job it hands back (graceful shutdown, delayed retry).
      { principalId: runner, principalType: 'ServicePrincipal', roleDefinitionId: roleDefinitionIds.serviceBusDataSender }
      // KEDA reads the queue's message count through the management API, which needs the Manage right.
      { principalId: identity.outputs.scalerPrincipalId, principalType: 'ServicePrincipal', roleDefinitionId: roleDefinitionIds.serviceBusDataOwner }
    ]
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    location: location
    tags: tags
    logAnalyticsName: '${abbrs.operationalInsightsWorkspaces}${resourceToken}'
    applicationInsightsName: '${abbrs.insightsComponents}${resourceToken}'
    roleAssignments: [
      { principalId: api, principalType: 'ServicePrincipal', roleDefinitionId: roleDefinitionIds.monitoringMetricsPublisher }
    ]
  }
}

module registry 'modules/registry.bicep' = {
  name: 'registry'
  params: {
    location: location
    tags: tags
    registryName: '${abbrs.containerRegistryRegistries}${resourceToken}'
    roleAssignments: [
      { principalId: runner, principalType: 'ServicePrincipal', roleDefinitionId: roleDefinitionIds.acrPull }
    ]
  }
}

module functionApp 'modules/functionapp.bicep' = {
  name: 'functionapp'
  // Using the storage and monitoring outputs also orders this after their role assignments, which the host
  // needs from its first start (deployment package, keys, telemetry).
  params: {
    location: location
    tags: tags
    planName: '${abbrs.webServerFarms}${resourceToken}'
    functionAppName: '${abbrs.webSitesFunctions}${resourceToken}'
    identityId: identity.outputs.apiIdentityId
    identityClientId: identity.outputs.apiClientId
    deploymentContainerUrl: storage.outputs.deploymentContainerUrl
    blobEndpoint: storage.outputs.blobEndpoint
    tableEndpoint: storage.outputs.tableEndpoint
    queueEndpoint: storage.outputs.queueEndpoint
    serviceBusNamespace: serviceBus.outputs.fullyQualifiedNamespace
    jobQueueName: serviceBus.outputs.queueName
    applicationInsightsConnectionString: monitoring.outputs.applicationInsightsConnectionString
  }
}

module containerApps 'modules/containerapps.bicep' = {
  name: 'containerapps'
  // Using the registry and Service Bus outputs also orders this after AcrPull and the scaler's queue rights,
  // which the first execution needs.
  params: {
    location: location
    tags: tags
    environmentName: '${abbrs.appManagedEnvironments}${resourceToken}'
    jobName: '${abbrs.appContainerAppsJobs}runner-${resourceToken}'
    logAnalyticsWorkspaceId: monitoring.outputs.logAnalyticsWorkspaceId
    gpuWorkloadProfileType: gpuWorkloadProfile
    runnerImage: empty(runnerImage) ? placeholderImage : runnerImage
    registryLoginServer: registry.outputs.loginServer
    runnerIdentityId: identity.outputs.runnerIdentityId
    runnerIdentityClientId: identity.outputs.runnerClientId
    scalerIdentityId: identity.outputs.scalerIdentityId
    blobEndpoint: storage.outputs.blobEndpoint
    tableEndpoint: storage.outputs.tableEndpoint
    serviceBusNamespaceName: serviceBus.outputs.namespaceName
    serviceBusFullyQualifiedNamespace: serviceBus.outputs.fullyQualifiedNamespace
    jobQueueName: serviceBus.outputs.queueName
    maxExecutions: maxRunners
    replicaTimeoutSeconds: runnerTimeoutSeconds
  }
}

output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = resourceGroup().name
output AZURE_CONTAINER_REGISTRY_NAME string = registry.outputs.registryName
output AZURE_CONTAINER_REGISTRY_ENDPOINT string = registry.outputs.loginServer
output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.functionAppName
output API_BASE_URL string = 'https://${functionApp.outputs.defaultHostName}/api'
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.storageAccountName
output AZURE_STORAGE_BLOB_ENDPOINT string = storage.outputs.blobEndpoint
output AZURE_STORAGE_TABLE_ENDPOINT string = storage.outputs.tableEndpoint
output SERVICE_BUS_NAMESPACE string = serviceBus.outputs.fullyQualifiedNamespace
output JOB_QUEUE_NAME string = serviceBus.outputs.queueName
output RUNNER_JOB_NAME string = containerApps.outputs.jobName
output CONTAINER_APPS_ENVIRONMENT_NAME string = containerApps.outputs.environmentName
output GPU_WORKLOAD_PROFILE string = gpuWorkloadProfile
