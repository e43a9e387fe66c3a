// Shared types and the role ids every module's role loop draws from.

@export()
@description('One role granted to one principal at the scope of the module that receives it (a queue, a registry, Application Insights).')
type roleAssignment = {
  @description('Object id of the principal (a managed identity, or the deployer).')
  principalId: string
  @description('ServicePrincipal for managed identities; the deployer\'s is a parameter (a user, or a service principal in CI).')
  principalType: 'ServicePrincipal' | 'User'
  @description('Role definition GUID, one of roleDefinitionIds.')
  roleDefinitionId: string
}

@export()
@description('One data role granted to one principal on one blob container, table or queue (never the whole storage account).')
type dataRoleAssignment = {
  @description('Name of the container, table or queue the role is scoped to.')
  scope: string
  principalId: string
  principalType: 'ServicePrincipal' | 'User'
  roleDefinitionId: string
}

@export()
@description('Built-in role definition ids (the same in every tenant).')
var roleDefinitionIds = {
  storageBlobDataContributor: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  storageBlobDataReader: '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1'
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  storageTableDataReader: '76199698-9eea-4c19-bc75-cec21354c6b6'
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  storageQueueDataMessageSender: 'c6a89b2d-59bc-44d0-9896-0f6e12d7b80a'
  storageBlobDelegator: 'db58b8e5-c6ad-4a2a-8342-4190687cbf4a'
  serviceBusDataSender: '69a216fc-b8fb-44d8-bc22-1f3c2cd27a39'
  serviceBusDataReceiver: '4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0'
  serviceBusDataOwner: '090c5cfd-751d-490a-894a-3ce6f1109419'
  acrPull: '7f951dda-4ed3-4680-a7ca-43fe172d538d'
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
}
