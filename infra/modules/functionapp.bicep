// The Flex Consumption (FC1) Function App running the platform's custom-handler host. Every
// connection is identity-based: host storage, the app's own storage, App Insights and Batch.

@description('Azure region.')
param location string

@description('Name stem for the plan and the app.')
param baseName string

@description('Resource id of the user-assigned identity the app runs as.')
param identityId string

@description('Client id of that identity.')
param identityClientId string

@description('Storage account name.')
param storageAccountName string

@description('Blob endpoint of the storage account.')
param blobEndpoint string

@description('Queue endpoint of the storage account.')
param queueEndpoint string

@description('Table endpoint of the storage account.')
param tableEndpoint string

@description('URL of the blob container the zip package is deployed to.')
param deploymentContainerUrl string

@description('Application Insights connection string (not a secret: it only names where telemetry goes).')
param appInsightsConnectionString string

@description('Batch account URL.')
param batchAccountUrl string

@description('GPU pool id.')
param gpuPoolId string

@description('CPU pool id.')
param cpuPoolId string

@description('Most instances the app scales out to (40-1000).')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int

@description('Memory of one instance in MB.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int

@description('Tags for every resource.')
param tags object

resource plan 'Microsoft.Web/serverfarms@2025-03-01' = {
  name: 'plan-${baseName}'
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true
  }
}

resource app 'Microsoft.Web/sites@2025-03-01' = {
  name: 'func-${baseName}'
  location: location
  tags: tags
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
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
      runtime: {
        name: 'custom'
        version: '1.0'
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
    }
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
      appSettings: [
        { name: 'AzureWebJobsStorage__accountName', value: storageAccountName }
        { name: 'AzureWebJobsStorage__credential', value: 'managedidentity' }
        { name: 'AzureWebJobsStorage__clientId', value: identityClientId }
        { name: 'AZURE_CLIENT_ID', value: identityClientId }
        { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: appInsightsConnectionString }
        { name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING', value: 'ClientId=${identityClientId};Authorization=AAD' }
        { name: 'Serverless__Storage__BlobServiceUri', value: blobEndpoint }
        { name: 'Serverless__Storage__QueueServiceUri', value: queueEndpoint }
        { name: 'Serverless__Storage__TableServiceUri', value: tableEndpoint }
        { name: 'Serverless__Storage__ClientId', value: identityClientId }
        { name: 'Serverless__Batch__AccountUrl', value: batchAccountUrl }
        { name: 'Serverless__Batch__GpuPoolId', value: gpuPoolId }
        { name: 'Serverless__Batch__CpuPoolId', value: cpuPoolId }
        { name: 'Serverless__Batch__ClientId', value: identityClientId }
        { name: 'Serverless__Batch__PoolIdentityResourceId', value: identityId }
      ]
    }
  }
}

output name string = app.name
output url string = 'https://${app.properties.defaultHostName}'
