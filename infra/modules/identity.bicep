// User-assigned identities: one per caller, so each gets only the roles it needs.

param location string
param tags object
@description('Name of the API (Function App) identity.')
param apiIdentityName string
@description('Name of the GPU runner identity.')
param runnerIdentityName string
@description('Name of the identity the KEDA scaler uses to read the queue length (it needs manage rights the runner does not).')
param scalerIdentityName string

resource api 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: apiIdentityName
  location: location
  tags: tags
}

resource runner 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: runnerIdentityName
  location: location
  tags: tags
}

resource scaler 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: scalerIdentityName
  location: location
  tags: tags
}

output apiIdentityId string = api.id
output apiClientId string = api.properties.clientId
output apiPrincipalId string = api.properties.principalId
output runnerIdentityId string = runner.id
output runnerClientId string = runner.properties.clientId
output runnerPrincipalId string = runner.properties.principalId
output scalerIdentityId string = scaler.id
output scalerPrincipalId string = scaler.properties.principalId
