// Blob containers for datasets, models, checkpoints and batch predictions, the record tables, the dataset-upload queue, and the
// Functions host's own storage. Entra ID only: shared keys (and so connection strings and account SAS) are switched
// off. Data roles are granted per container, per table and per queue, never on the account: the runner cannot read
// the host's keys or replace the API's deployment package, and nobody holds rights on a container, table or queue it
// does not use. The one account-scoped grant is Storage Blob Delegator for the SAS signer (see delegatorRole).

import { dataRoleAssignment, roleDefinitionIds } from 'types.bicep'

param location string
param tags object
param storageAccountName string
@description('Blob container the Flex Consumption plan deploys the Functions package from.')
param deploymentContainerName string
@description('Blob data roles, each on one container (data, host or deployment container).')
param containerRoleAssignments dataRoleAssignment[]
@description('Table data roles, each on one table.')
param tableRoleAssignments dataRoleAssignment[]
@description('Queue data roles, each on one queue.')
param queueRoleAssignments dataRoleAssignment[]
@description('Object id of the managed identity that signs user-delegation SAS URLs (direct dataset uploads).')
param sasSignerPrincipalId string

var dataContainers = ['datasets', 'models', 'checkpoints', 'predictions']
// The Functions host keeps its keys and its leases in these; created here so its roles can be scoped to them.
var hostContainers = ['azure-webjobs-hosts', 'azure-webjobs-secrets']
var tables = ['datasets', 'jobs', 'jobevents', 'models']
var allContainers = concat(dataContainers, hostContainers, [deploymentContainerName])
// Direct uploads are validated off the request: the API sends to dataset-uploads, its queue trigger reads it, and the
// Functions queue extension moves a message that failed every delivery to {queue}-poison. Both are created here:
// the API holds no right to create queues, and the extension creates the poison queue only when it is missing.
var queues = ['dataset-uploads', 'dataset-uploads-poison']

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

resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2023-05-01' = {
  parent: account
  name: 'default'
}

resource storageQueues 'Microsoft.Storage/storageAccounts/queueServices/queues@2023-05-01' = [
  for name in queues: {
    parent: queueService
    name: name
  }
]

// A role on a container, table or queue that the template does not create would fail late; fail before anything is
// created.
var unknownScopes = filter(
  concat(
    map(containerRoleAssignments, a => contains(allContainers, a.scope) ? '' : 'container ${a.scope}'),
    map(tableRoleAssignments, a => contains(tables, a.scope) ? '' : 'table ${a.scope}'),
    map(queueRoleAssignments, a => contains(queues, a.scope) ? '' : 'queue ${a.scope}')
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

resource queueScopes 'Microsoft.Storage/storageAccounts/queueServices/queues@2023-05-01' existing = [
  for assignment in queueRoleAssignments: {
    parent: queueService
    name: assignment.scope
  }
]

resource queueRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for (assignment, i) in queueRoleAssignments: {
    name: guid(queueScopes[i].id, assignment.principalId, assignment.roleDefinitionId)
    scope: queueScopes[i]
    properties: {
      principalId: assignment.principalId
      principalType: assignment.principalType
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', assignment.roleDefinitionId)
    }
    dependsOn: [storageQueues]
  }
]

// The one grant on the account, and the role is fixed here rather than a parameter, so no data role can ride on it.
// A user-delegation SAS is signed with a key from Get User Delegation Key, an account-level operation: Azure only
// honours its permission (generateUserDelegationKey) at the account, resource group or subscription, so the
// container-scoped Blob Data Contributor cannot give it. Storage Blob Delegator holds that one action and no data
// action, and it is safe on the account: a user-delegation SAS never grants more than the signer's own data roles at
// the time of use, which stay scoped to the containers above (for the API: write on datasets, read on models).
resource delegatorRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(account.id, sasSignerPrincipalId, roleDefinitionIds.storageBlobDelegator)
  scope: account
  properties: {
    principalId: sasSignerPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleDefinitionIds.storageBlobDelegator)
  }
}

output storageAccountName string = account.name
output blobEndpoint string = account.properties.primaryEndpoints.blob
output tableEndpoint string = account.properties.primaryEndpoints.table
output queueEndpoint string = account.properties.primaryEndpoints.queue
output deploymentContainerUrl string = '${account.properties.primaryEndpoints.blob}${deploymentContainerName}'
