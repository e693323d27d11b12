// Deploys one environment of the serverless MLOps platform into a subscription:
//   az deployment sub create -l <region> -f infra/main.bicep -p infra/env/dev.bicepparam
// See docs/deploy.md.
targetScope = 'subscription'

@description('Short environment name, part of every resource name (e.g. dev, prod).')
@minLength(2)
@maxLength(8)
param envName string

@description('Azure region of the resource group and its resources.')
param location string = deployment().location

@description('Storage replication.')
@allowed([
  'Standard_LRS'
  'Standard_ZRS'
  'Standard_GRS'
])
param storageSku string = 'Standard_LRS'

@description('GPU pool VM size (needs GPU core quota for its family in the Batch account).')
param gpuVmSize string = 'Standard_NC4as_T4_v3'

@description('Most GPU nodes.')
@minValue(1)
param gpuMaxNodes int = 2

@description('CPU pool VM size.')
param cpuVmSize string = 'Standard_D4as_v5'

@description('Most CPU nodes.')
@minValue(1)
param cpuMaxNodes int = 4

@description('Run pool nodes as Spot (cheaper, preemptible; preempted tasks are requeued).')
param useSpotNodes bool = false

@description('Private container registry host the pools pull step images from (grant the identity AcrPull on it); empty for public images.')
param containerRegistryServer string = ''

@description('Step images every pool node pulls at start (saves the first task the pull).')
param prefetchImages string[] = []

@description('Most Function App instances (40-1000).')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 40

@description('Memory of one Function App instance in MB.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

@description('Days Log Analytics keeps data.')
@minValue(30)
@maxValue(730)
param logRetentionInDays int = 30

@description('Tags for every resource.')
param tags object = {}

// Globally unique names (storage, Batch, the app's host name) get a stable suffix per subscription,
// environment and region, so a redeploy updates the same resources.
var suffix = take(uniqueString(subscription().id, envName, location), 8)
var baseName = 'mlops-${envName}-${suffix}'
var identityName = 'id-${baseName}'
var storageName = 'st${replace(envName, '-', '')}${suffix}'
var batchName = 'ba${replace(envName, '-', '')}${suffix}'
var appInsightsName = 'appi-${baseName}'
var allTags = union(tags, {
  environment: envName
  workload: 'serverless-mlops'
})

resource rg 'Microsoft.Resources/resourceGroups@2025-04-01' = {
  name: 'rg-mlops-${envName}'
  location: location
  tags: allTags
}

module identity 'modules/identity.bicep' = {
  name: 'identity-${envName}'
  scope: rg
  params: {
    location: location
    name: identityName
    tags: allTags
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage-${envName}'
  scope: rg
  params: {
    location: location
    name: storageName
    skuName: storageSku
    tags: allTags
  }
}

module storageRoles 'modules/storage-roles.bicep' = {
  name: 'storage-roles-${envName}'
  scope: rg
  params: {
    identityName: identityName
    storageAccountName: storageName
  }
  dependsOn: [
    identity
    storage
  ]
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring-${envName}'
  scope: rg
  params: {
    location: location
    baseName: baseName
    appInsightsName: appInsightsName
    retentionInDays: logRetentionInDays
    tags: allTags
  }
}

module batch 'modules/batch.bicep' = {
  name: 'batch-${envName}'
  scope: rg
  params: {
    location: location
    name: batchName
    identityId: identity.outputs.id
    storageAccountId: storage.outputs.id
    gpuVmSize: gpuVmSize
    gpuMaxNodes: gpuMaxNodes
    cpuVmSize: cpuVmSize
    cpuMaxNodes: cpuMaxNodes
    useSpotNodes: useSpotNodes
    containerRegistryServer: containerRegistryServer
    prefetchImages: prefetchImages
    tags: allTags
  }
  // Auto-storage authenticates as the identity: its blob role must exist before the account does.
  dependsOn: [
    storageRoles
  ]
}

module serviceRoles 'modules/service-roles.bicep' = {
  name: 'service-roles-${envName}'
  scope: rg
  params: {
    identityName: identityName
    batchAccountName: batchName
    appInsightsName: appInsightsName
  }
  dependsOn: [
    batch
    monitoring
  ]
}

module app 'modules/functionapp.bicep' = {
  name: 'app-${envName}'
  scope: rg
  params: {
    location: location
    baseName: baseName
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageAccountName: storage.outputs.name
    blobEndpoint: storage.outputs.blobEndpoint
    queueEndpoint: storage.outputs.queueEndpoint
    tableEndpoint: storage.outputs.tableEndpoint
    deploymentContainerUrl: storage.outputs.deploymentContainerUrl
    appInsightsConnectionString: monitoring.outputs.connectionString
    batchAccountUrl: batch.outputs.accountUrl
    gpuPoolId: batch.outputs.gpuPoolId
    cpuPoolId: batch.outputs.cpuPoolId
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
    tags: allTags
  }
  // The host reaches its storage with the identity from its first start.
  dependsOn: [
    storageRoles
  ]
}

@description('The Function App URL.')
output appUrl string = app.outputs.url

@description('The Function App name (for az functionapp deploy).')
output appName string = app.outputs.name

@description('The resource group.')
output resourceGroupName string = rg.name

@description('The storage account name.')
output storageAccountName string = storage.outputs.name

@description('The Batch account URL (Serverless__Batch__AccountUrl).')
output batchAccountUrl string = batch.outputs.accountUrl

@description('Client id of the user-assigned identity.')
output identityClientId string = identity.outputs.clientId

@description('Principal (object) id of the user-assigned identity, for extra role assignments such as AcrPull.')
output identityPrincipalId string = identity.outputs.principalId
