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
@description('Entra ID sign-in through App Service Authentication: a signed-in caller owns what it creates (its object id).')
param enableEntraSignIn bool
@description('Client id of the Entra ID app registration callers request tokens for (required when enableEntraSignIn).')
param entraClientId string
@description('Function-key owners by key digest, owner=sha256hex[,...];... (Api__KeyOwners); digests, not secrets.')
param apiKeyOwners string

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
        // The API sends to the dataset-upload queue, which its queue trigger reads through AzureWebJobsStorage.
        { name: 'Storage__QueueServiceUri', value: queueEndpoint }
        { name: 'JobQueue__Transport', value: 'ServiceBus' }
        { name: 'JobQueue__Name', value: jobQueueName }
        { name: 'JobQueue__ServiceBusNamespace', value: serviceBusNamespace }
        // Trust x-ms-client-principal only where App Service Authentication sets it (it strips it from requests).
        { name: 'Api__TrustClientPrincipalHeader', value: string(enableEntraSignIn) }
        // Kept in the template so a provision does not drop owners set by hand (app settings are replaced whole).
        { name: 'Api__KeyOwners', value: apiKeyOwners }
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

// App Service Authentication (Easy Auth) validates Entra ID tokens in front of the app and passes the caller on in
// x-ms-client-principal / x-ms-client-principal-id, which callers cannot set themselves. Requests without a token are
// let through to the functions, whose function keys still guard them: automation keeps using keys.
resource authentication 'Microsoft.Web/sites/config@2024-04-01' = if (enableEntraSignIn) {
  parent: functionApp
  name: 'authsettingsV2'
  properties: {
    platform: { enabled: true }
    globalValidation: {
      requireAuthentication: false
      unauthenticatedClientAction: 'AllowAnonymous'
    }
    identityProviders: {
      azureActiveDirectory: {
        enabled: true
        registration: {
          clientId: entraClientId
          openIdIssuer: '${environment().authentication.loginEndpoint}${tenant().tenantId}/v2.0'
        }
        validation: {
          allowedAudiences: [entraClientId, 'api://${entraClientId}']
        }
      }
    }
    login: { tokenStore: { enabled: false } }
  }
}

output functionAppName string = functionApp.name
output defaultHostName string = functionApp.properties.defaultHostName
