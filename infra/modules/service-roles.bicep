// Least-privilege roles of the environment's identity on the Batch account (submit jobs and tasks,
// read their files) and on Application Insights (publish telemetry with Entra auth).
// Role definition ids are Azure's built-in role GUIDs.

@description('Name of the user-assigned identity.')
param identityName string

@description('Batch account name.')
param batchAccountName string

@description('Application Insights component name.')
param appInsightsName string

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' existing = {
  name: identityName
}

var roles = {
  batchDataContributor: '6aaa78f1-f7de-44ca-8722-c64a23943cae'
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
}

resource batch 'Microsoft.Batch/batchAccounts@2025-06-01' existing = {
  name: batchAccountName
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: appInsightsName
}
resource batchRoleAssignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(batch.id, identity.id, roles.batchDataContributor)
  scope: batch
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.batchDataContributor)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource metricsRoleAssignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(appInsights.id, identity.id, roles.monitoringMetricsPublisher)
  scope: appInsights
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.monitoringMetricsPublisher)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}
