// Container registry for the GPU runner image; pulled with a managed identity (no admin user, no passwords).

import { roleAssignment } from 'types.bicep'

param location string
param tags object
param registryName string
@description('Roles granted on the registry.')
param roleAssignments roleAssignment[]

resource registry 'Microsoft.ContainerRegistry/registries@2023-07-01' = {
  name: registryName
  location: location
  tags: tags
  sku: { name: 'Basic' }
  properties: {
    adminUserEnabled: false
    publicNetworkAccess: 'Enabled'
  }
}

resource roles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for assignment in roleAssignments: {
    name: guid(registry.id, assignment.principalId, assignment.roleDefinitionId)
    scope: registry
    properties: {
      principalId: assignment.principalId
      principalType: assignment.principalType
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', assignment.roleDefinitionId)
    }
  }
]

output registryName string = registry.name
output loginServer string = registry.properties.loginServer
