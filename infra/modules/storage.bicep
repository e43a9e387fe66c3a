// Blob containers for datasets, models and checkpoints, the record tables, and the Functions host's own storage.
// Entra ID only: shared keys (and so connection strings and account SAS) are switched off. Data roles are granted
// per container and per table, never on the account: the runner cannot read the host's keys or replace the API's
// deployment package, and nobody holds rights on a container or table it does not use.

import { dataRoleAssignment } from 'types.bicep'

param location string
param tags object
param storageAccountName string
@description('Blob container the Flex Consumption plan deploys the Functions package from.')
param deploymentContainerName string
@description('Blob data roles, each on one container (data, host or deployment container).')
param containerRoleAssignments dataRoleAssignment[]
@description('Table data roles, each on one table.')
param tableRoleAssignments dataRoleAssignment[]

var dataContainers = ['datasets', 'models', 'checkpoints']
// The Functions host keeps its keys and its leases in these; created here so its roles can be scoped to them.
var hostContainers = ['azure-webjobs-hosts', 'azure-webjobs-secrets']
var tables = ['datasets', 'jobs', 'jobevents', 'models']
var allContainers = concat(dataContainers, hostContainers, [deploymentContainerName])

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: checkedAccountName
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: { name: 'Standard_LRS' }
  properties: {
    accessTier: 'Hot'
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    allowBlobPublicAccess: false
    allowCrossTenantReplication: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    publicNetworkAccess: 'Enabled'
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: account
  name: 'default'
  properties: {
    // Versioning and soft delete are account-wide settings; they exist for the models container (published models
    // are never lost to an overwrite or a delete), and the lifecycle rules below keep them cheap elsewhere.
    isVersioningEnabled: true
    deleteRetentionPolicy: { enabled: true, days: 14 }
    containerDeleteRetentionPolicy: { enabled: true, days: 14 }
  }
}

resource containers 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = [
  for name in allContainers: {
    parent: blobService
    name: name
    properties: { publicAccess: 'None' }
  }
]

resource lifecycle 'Microsoft.Storage/storageAccounts/managementPolicies@2023-05-01' = {
  parent: account
  name: 'default'
  properties: {
    policy: {
      rules: [
        {
          // Checkpoints are rewritten every few hundred steps; old versions of multi-GB files would pile up.
          name: 'drop-old-checkpoint-versions'
          enabled: true
          type: 'Lifecycle'
          definition: {
            filters: { blobTypes: ['blockBlob'], prefixMatch: ['checkpoints/'] }
            actions: { version: { delete: { daysAfterCreationGreaterThan: 1 } } }
          }
        }
        {
          name: 'drop-old-dataset-versions'
          enabled: true
          type: 'Lifecycle'
          definition: {
            filters: { blobTypes: ['blockBlob'], prefixMatch: ['datasets/', '${deploymentContainerName}/'] }
            actions: { version: { delete: { daysAfterCreationGreaterThan: 7 } } }
          }
        }
      ]
    }
  }
}

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2023-05-01' = {
  parent: account
  name: 'default'
}

resource recordTables 'Microsoft.Storage/storageAccounts/tableServices/tables@2023-05-01' = [
  for name in tables: {
    parent: tableService
    name: name
  }
]

// A role on a container or table that the template does not create would fail late; fail before anything is created.
var unknownScopes = filter(
  concat(
    map(containerRoleAssignments, a => contains(allContainers, a.scope) ? '' : 'container ${a.scope}'),
    map(tableRoleAssignments, a => contains(tables, a.scope) ? '' : 'table ${a.scope}')
  ),
  s => !empty(s)
)
var checkedAccountName = empty(unknownScopes) ? storageAccountName : fail('Roles name scopes this template does not create: ${join(unknownScopes, ', ')}')

resource containerScopes 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' existing = [
  for assignment in containerRoleAssignments: {
    parent: blobService
    name: assignment.scope
  }
]

resource containerRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for (assignment, i) in containerRoleAssignments: {
    name: guid(containerScopes[i].id, assignment.principalId, assignment.roleDefinitionId)
    scope: containerScopes[i]
    properties: {
      principalId: assignment.principalId
      principalType: assignment.principalType
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', assignment.roleDefinitionId)
    }
    dependsOn: [containers]
  }
]

resource tableScopes 'Microsoft.Storage/storageAccounts/tableServices/tables@2023-05-01' existing = [
  for assignment in tableRoleAssignments: {
    parent: tableService
    name: assignment.scope
  }
]

resource tableRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for (assignment, i) in tableRoleAssignments: {
    name: guid(tableScopes[i].id, assignment.principalId, assignment.roleDefinitionId)
    scope: tableScopes[i]
    properties: {
      principalId: assignment.principalId
      principalType: assignment.principalType
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', assignment.roleDefinitionId)
    }
    dependsOn: [recordTables]
  }
]

output storageAccountName string = account.name
output blobEndpoint string = account.properties.primaryEndpoints.blob
output tableEndpoint string = account.properties.primaryEndpoints.table
output queueEndpoint string = account.properties.primaryEndpoints.queue
output deploymentContainerUrl string = '${account.properties.primaryEndpoints.blob}${deploymentContainerName}'
