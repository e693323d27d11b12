// The one user-assigned identity of an environment: the Function App, the Batch account and the
// Batch pools all act as it, so there is nothing secret to store or rotate.

@description('Azure region.')
param location string

@description('Identity name.')
param name string

@description('Tags for every resource.')
param tags object

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' = {
  name: name
  location: location
  tags: tags
}

output id string = identity.id
output name string = identity.name
output clientId string = identity.properties.clientId
output principalId string = identity.properties.principalId
