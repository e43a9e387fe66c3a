// Log Analytics for everything, Application Insights (Entra ID ingestion only) for the API.

import { roleAssignment } from 'types.bicep'

param location string
param tags object
param logAnalyticsName string
param applicationInsightsName string
@description('Roles granted on the Application Insights component (the API publishes telemetry with its identity).')
param roleAssignments roleAssignment[]

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: logAnalyticsName
  location: location
  tags: tags
  properties: {
    sku: { name: 'PerGB2018' }
    retentionInDays: 30
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: applicationInsightsName
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspace.id
    // Instrumentation-key ingestion off: telemetry must carry an Entra ID token (APPLICATIONINSIGHTS_AUTHENTICATION_STRING).
    DisableLocalAuth: true
  }
}

resource roles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for assignment in roleAssignments: {
    name: guid(appInsights.id, assignment.principalId, assignment.roleDefinitionId)
    scope: appInsights
    properties: {
      principalId: assignment.principalId
      principalType: assignment.principalType
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', assignment.roleDefinitionId)
    }
  }
]

output logAnalyticsWorkspaceId string = workspace.id
output applicationInsightsName string = appInsights.name
// The connection string names the ingestion endpoint and the (non-secret) instrumentation key; with local auth
// disabled it is useless without an Entra ID token.
output applicationInsightsConnectionString string = appInsights.properties.ConnectionString
