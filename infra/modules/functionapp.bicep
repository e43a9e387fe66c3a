// The HTTP API: a Function App on the Flex Consumption plan (.NET 10 isolated worker), scaling to zero.
// Every connection is identity-based through the user-assigned identity; app settings hold endpoints, never keys.

param location string
param tags object
param planName string
param functionAppName string
@description('Resource id of the user-assigned identity the app runs as.')
param identityId string
@description('Client id of that identity (AZURE_CLIENT_ID and AzureWebJobsStorage__clientId).')
param identityClientId string
@description('Blob container URL the plan deploys the app package from.')
param deploymentContainerUrl string
param blobEndpoint string
param tableEndpoint string
param queueEndpoint string
param serviceBusNamespace string
param jobQueueName string
param applicationInsightsConnectionString string
@allowed([512, 2048, 4096])
@description('Instance memory; dataset uploads stream, so 2 GB is plenty.')
param instanceMemoryMB int = 2048
param maximumInstanceCount int = 40

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: { name: 'FC1', tier: 'FlexConsumption' }
  properties: { reserved: true }
}

resource functionApp 'Microsoft.Web/sites@2024-04-01' = {
  name: functionAppName
  location: location
  tags: union(tags, { 'azd-service-name': 'api' })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identityId}': {} }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: deploymentContainerUrl
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
      }
      runtime: { name: 'dotnet-isolated', version: '10.0' }
    }
    siteConfig: {
      minTlsVersion: '1.2'
      // Exactly AppSettings.FunctionsApp (Shared/Configuration); Infra.Tests compares the two both ways.
      appSettings: [
        { name: 'AzureWebJobsStorage__credential', value: 'managedidentity' }
        { name: 'AzureWebJobsStorage__clientId', value: identityClientId }
        { name: 'AzureWebJobsStorage__blobServiceUri', value: blobEndpoint }
        { name: 'AzureWebJobsStorage__queueServiceUri', value: queueEndpoint }
        { name: 'AzureWebJobsStorage__tableServiceUri', value: tableEndpoint }
        { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: applicationInsightsConnectionString }
        { name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING', value: 'ClientId=${identityClientId};Authorization=AAD' }
        { name: 'AZURE_CLIENT_ID', value: identityClientId }
        { name: 'Storage__BlobServiceUri', value: blobEndpoint }
        { name: 'Storage__TableServiceUri', value: tableEndpoint }
        { name: 'JobQueue__Transport', value: 'ServiceBus' }
        { name: 'JobQueue__Name', value: jobQueueName }
        { name: 'JobQueue__ServiceBusNamespace', value: serviceBusNamespace }
      ]
    }
  }
}

// Deployments go through Entra ID (azd / az functionapp deploy); basic-auth publishing stays off.
resource ftpPublishing 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: functionApp
  name: 'ftp'
  properties: { allow: false }
}

resource scmPublishing 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: functionApp
  name: 'scm'
  properties: { allow: false }
}

output functionAppName string = functionApp.name
output defaultHostName string = functionApp.properties.defaultHostName
