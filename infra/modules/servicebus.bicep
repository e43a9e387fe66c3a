// The job queue. Jobs run for hours while a lock lasts at most 5 minutes: the runner renews the lock, and the
// queue's delivery limit and dead-letter queue end a job that keeps failing instead of looping on it.

import { roleAssignment } from 'types.bicep'

param location string
param tags object
param namespaceName string
param queueName string
@description('Deliveries before a message is dead-lettered; above the runner\'s own attempt limit (Runner MaxAttempts, 3), so the runner ends a failing job with its reason first.')
param maxDeliveryCount int = 10
@description('Roles granted on the job queue (not the namespace: nothing else lives there).')
param roleAssignments roleAssignment[]

resource namespace 'Microsoft.ServiceBus/namespaces@2024-01-01' = {
  name: namespaceName
  location: location
  tags: tags
  // Standard: Basic has no duplicate detection and no scheduled messages (the runner schedules retries).
  sku: { name: 'Standard', tier: 'Standard' }
  properties: {
    disableLocalAuth: true
    minimumTlsVersion: '1.2'
  }
}

resource queue 'Microsoft.ServiceBus/namespaces/queues@2024-01-01' = {
  parent: namespace
  name: queueName
  properties: {
    lockDuration: 'PT5M'
    maxDeliveryCount: maxDeliveryCount
    defaultMessageTimeToLive: 'P14D'
    deadLetteringOnMessageExpiration: true
    // A message id equal to the job id makes a retried submission of the same job a no-op within the window.
    requiresDuplicateDetection: true
    duplicateDetectionHistoryTimeWindow: 'PT10M'
    requiresSession: false
    enablePartitioning: false
  }
}

resource roles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for assignment in roleAssignments: {
    name: guid(queue.id, assignment.principalId, assignment.roleDefinitionId)
    scope: queue
    properties: {
      principalId: assignment.principalId
      principalType: assignment.principalType
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', assignment.roleDefinitionId)
    }
  }
]

output namespaceName string = namespace.name
output fullyQualifiedNamespace string = '${namespace.name}.servicebus.windows.net'
output queueName string = queue.name
