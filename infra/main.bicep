// The BERT fine-tuning platform in one resource group: HTTP API (Functions, Flex Consumption), storage, the job
// queue (Service Bus), serverless GPU runners (Container Apps job), registry, monitoring, identities and roles.
// Deploy with `azd up`, or `az deployment group create -g <rg> -f infra/main.bicep -p environmentName=... location=...`
// (main.parameters.json holds azd's ${VAR} placeholders); infra/README.md walks through both.

import { dataRoleAssignment, roleDefinitionIds } from 'modules/types.bicep'

targetScope = 'resourceGroup'

@minLength(1)
@maxLength(64)
@description('Environment name (azd: AZURE_ENV_NAME); it seeds the resource names.')
param environmentName string

@minLength(1)
@description('Region for every resource; it must offer Flex Consumption and the chosen serverless GPU (see supportedRegions).')
param location string = resourceGroup().location

@allowed(['Consumption-GPU-NC8as-T4', 'Consumption-GPU-NC24-A100'])
@description('Serverless GPU for the runners: T4 (16 GB) for base-size fine-tuning, A100 (80 GB) for long or large runs.')
param gpuWorkloadProfile string = 'Consumption-GPU-NC8as-T4'

@description('Runner image (e.g. crXXXX.azurecr.io/bert-runner:src-1a2b3c). Empty (first provision): no runner job yet, so no GPU execution can start before the image exists.')
param runnerImage string = ''

@minValue(1)
@description('Most GPU runners at once. 1 fits the default serverless GPU quota; raise it after a quota increase (infra/README.md).')
param maxRunners int = 1

@minValue(600)
@description('Longest single execution of the runner job, in seconds (default 24 h).')
param runnerTimeoutSeconds int = 86400

@description('Object id of the deployer (azd: AZURE_PRINCIPAL_ID), granted write access to the models container to seed base models. Empty: none.')
param principalId string = ''

@allowed(['User', 'ServicePrincipal'])
@description('What principalId is (azd: AZURE_PRINCIPAL_TYPE): a user, or a service principal under azd pipeline config.')
param principalType string = 'User'

@description('Entra ID sign-in for the API (App Service Authentication); callers then own data by their object id.')
param enableEntraSignIn bool = false

@description('Client id of the Entra ID app registration the API accepts tokens for; required with enableEntraSignIn.')
param entraClientId string = ''

@description('Function-key owners by key digest: owner=sha256hex[,sha256hex...];... (azd: API_KEY_OWNERS). Keys mapped to one owner share its data, across rotations.')
param apiKeyOwners string = ''

// Where both halves exist: Flex Consumption (az functionapp list-flexconsumption-locations) and the serverless GPU,
// per the region table of "Using serverless GPUs in Azure Container Apps" (learn.microsoft.com, revision 2025-06-02).
// Every resource takes its location from deploymentLocation, so a region outside the list fails template
// validation, before anything is created. Add a region when the GPU table and the Flex Consumption list both have it.
var supportedRegions = {
  'Consumption-GPU-NC8as-T4': ['australiaeast', 'swedencentral', 'westeurope', 'westus3']
  'Consumption-GPU-NC24-A100': ['australiaeast', 'swedencentral', 'westus', 'westus3']
}
var deploymentLocation = contains(supportedRegions[gpuWorkloadProfile], toLower(replace(location, ' ', '')))
  ? location
  : fail('${gpuWorkloadProfile} with Flex Consumption is not available in ${location}; use one of: ${join(supportedRegions[gpuWorkloadProfile], ', ')} (infra/README.md, Regions).')
var checkedEntraClientId = enableEntraSignIn && empty(entraClientId)
  ? fail('enableEntraSignIn needs entraClientId, the client id of the API\'s app registration (infra/README.md, Entra ID sign-in).')
  : entraClientId

var abbrs = loadJsonContent('abbreviations.json')
var resourceToken = toLower(uniqueString(subscription().id, resourceGroup().id, environmentName, deploymentLocation))
var tags = { 'azd-env-name': environmentName }
var jobQueueName = 'jobs'

module identity 'modules/identity.bicep' = {
  name: 'identity'
  params: {
    location: deploymentLocation
    tags: tags
    apiIdentityName: '${abbrs.managedIdentityUserAssignedIdentities}api-${resourceToken}'
    runnerIdentityName: '${abbrs.managedIdentityUserAssignedIdentities}runner-${resourceToken}'
    scalerIdentityName: '${abbrs.managedIdentityUserAssignedIdentities}scaler-${resourceToken}'
  }
}

var api = identity.outputs.apiPrincipalId
var runner = identity.outputs.runnerPrincipalId
var deploymentContainerName = 'app-package'
// Seeding base models writes models/base/{name}/ and nothing else.
var deployerContainerRoles dataRoleAssignment[] = empty(principalId)
  ? []
  : [{ scope: 'models', principalId: principalId, principalType: principalType, roleDefinitionId: roleDefinitionIds.storageBlobDataContributor }]

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    location: deploymentLocation
    tags: tags
    storageAccountName: '${abbrs.storageStorageAccounts}${resourceToken}'
    deploymentContainerName: deploymentContainerName
    containerRoleAssignments: concat(
      [
        // The Functions host: its keys and leases (it asks for Owner on them) and the package it runs from.
        { scope: 'azure-webjobs-hosts', principalId: api, principalType: 'ServicePrincipal', roleDefinitionId: roleDefinitionIds.storageBlobDataOwner }
        { scope: 'azure-webjobs-secrets', principalId: api, principalType: 'ServicePrincipal', roleDefinitionId: roleDefinitionIds.storageBlobDataOwner }
        { scope: deploymentContainerName, principalId: api, principalType: 'ServicePrincipal', roleDefinitionId: roleDefinitionIds.storageBlobDataContributor }
        // The API: uploads and deletes datasets; reads base models and serves published model files.
        { scope: 'datasets', principalId: api, principalType: 'ServicePrincipal', roleDefinitionId: roleDefinitionIds.storageBlobDataContributor }
        { scope: 'models', principalId: api, principalType: 'ServicePrincipal', roleDefinitionId: roleDefinitionIds.storageBlobDataReader }
        // ...streams batch predictions and deletes them with their job.
        { scope: 'predictions', principalId: api, principalType: 'ServicePrincipal', roleDefinitionId: roleDefinitionIds.storageBlobDataContributor }
        // The runner: reads datasets; reads base models and publishes models; keeps checkpoints.
        { scope: 'datasets', principalId: runner, principalType: 'ServicePrincipal', roleDefinitionId: roleDefinitionIds.storageBlobDataReader }
        { scope: 'models', principalId: runner, principalType: 'ServicePrincipal', roleDefinitionId: roleDefinitionIds.storageBlobDataContributor }
        { scope: 'checkpoints', principalId: runner, principalType: 'ServicePrincipal', roleDefinitionId: roleDefinitionIds.storageBlobDataContributor }
        // ...and writes batch predictions.
        { scope: 'predictions', principalId: runner, principalType: 'ServicePrincipal', roleDefinitionId: roleDefinitionIds.storageBlobDataContributor }
      ],
      deployerContainerRoles
    )
    tableRoleAssignments: [
      // The API: dataset, job and event records; reads model records.
      { scope: 'datasets', principalId: api, principalType: 'ServicePrincipal', roleDefinitionId: roleDefinitionIds.storageTableDataContributor }
      { scope: 'jobs', principalId: api, principalType: 'ServicePrincipal', roleDefinitionId: roleDefinitionIds.storageTableDataContributor }
      { scope: 'jobevents', principalId: api, principalType: 'ServicePrincipal', roleDefinitionId: roleDefinitionIds.storageTableDataContributor }
      { scope: 'models', principalId: api, principalType: 'ServicePrincipal', roleDefinitionId: roleDefinitionIds.storageTableDataReader }
      // The runner: reads dataset records; claims and updates jobs, appends events, records published models.
      { scope: 'datasets', principalId: runner, principalType: 'ServicePrincipal', roleDefinitionId: roleDefinitionIds.storageTableDataReader }
      { scope: 'jobs', principalId: runner, principalType: 'ServicePrincipal', roleDefinitionId: roleDefinitionIds.storageTableDataContributor }
      { scope: 'jobevents', principalId: runner, principalType: 'ServicePrincipal', roleDefinitionId: roleDefinitionIds.storageTableDataContributor }
      { scope: 'models', principalId: runner, principalType: 'ServicePrincipal', roleDefinitionId: roleDefinitionIds.storageTableDataContributor }
    ]
    queueRoleAssignments: [
      // The API sends upload messages, and its queue trigger receives them, renews their visibility while it works
      // (Update Message: messages/write, which Queue Data Reader and Message Processor lack) and deletes them:
      // Contributor is the least built-in role with all of that.
      { scope: 'dataset-uploads', principalId: api, principalType: 'ServicePrincipal', roleDefinitionId: roleDefinitionIds.storageQueueDataContributor }
      // The trigger only adds to the poison queue (a message that failed every delivery); nothing here reads it.
      { scope: 'dataset-uploads-poison', principalId: api, principalType: 'ServicePrincipal', roleDefinitionId: roleDefinitionIds.storageQueueDataMessageSender }
    ]
    // The API signs the direct-upload SAS URLs (user-delegation SAS).
    sasSignerPrincipalId: api
  }
}

module serviceBus 'modules/servicebus.bicep' = {
  name: 'servicebus'
  params: {
    location: deploymentLocation
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
    location: deploymentLocation
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
    location: deploymentLocation
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
    location: deploymentLocation
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
    enableEntraSignIn: enableEntraSignIn
    entraClientId: checkedEntraClientId
    apiKeyOwners: apiKeyOwners
  }
}

module containerApps 'modules/containerapps.bicep' = {
  name: 'containerapps'
  // Using the registry and Service Bus outputs also orders this after AcrPull and the scaler's queue rights,
  // which the first execution needs.
  params: {
    location: deploymentLocation
    tags: tags
    environmentName: '${abbrs.appManagedEnvironments}${resourceToken}'
    jobName: '${abbrs.appContainerAppsJobs}runner-${resourceToken}'
    logAnalyticsWorkspaceId: monitoring.outputs.logAnalyticsWorkspaceId
    gpuWorkloadProfileType: gpuWorkloadProfile
    runnerImage: runnerImage
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

output AZURE_LOCATION string = deploymentLocation
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
output RUNNER_IMAGE string = runnerImage
