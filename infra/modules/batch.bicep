// The Batch account (Entra ID only, Batch-service allocation) with a GPU pool and a CPU pool. Both
// pools run Docker-compatible containers on an image that ships the NVIDIA driver and container
// toolkit, act as the environment's user-assigned identity (to pull images and move blobs), and
// autoscale to zero when no tasks wait.

@description('Azure region.')
param location string

@description('Batch account name (3-24 lowercase letters and digits).')
@minLength(3)
@maxLength(24)
param name string

@description('Resource id of the user-assigned identity the account and pools act as.')
param identityId string

@description('Resource id of the storage account used as auto-storage.')
param storageAccountId string

@description('VM size of the GPU pool.')
param gpuVmSize string

@description('Most GPU nodes the pool scales to.')
@minValue(1)
param gpuMaxNodes int

@description('VM size of the CPU pool.')
param cpuVmSize string

@description('Most CPU nodes the pool scales to.')
@minValue(1)
param cpuMaxNodes int

@description('Use Spot nodes (cheaper, can be preempted: tasks are requeued) instead of dedicated ones.')
param useSpotNodes bool

@description('Private registry (e.g. myregistry.azurecr.io) the pools pull from with the identity; empty for public images only.')
param containerRegistryServer string

@description('Images every node pulls when it starts, so the first task does not wait for a big pull.')
param prefetchImages string[]

@description('Tags for every resource.')
param tags object

var identityProperty = {
  type: 'UserAssigned'
  userAssignedIdentities: {
    '${identityId}': {}
  }
}

// microsoft-dsvm/ubuntu-hpc 24.04 ships the NVIDIA driver, Moby and the NVIDIA container toolkit, so
// no driver extension is needed and Batch exposes the GPUs to containers itself.
var virtualMachineConfiguration = {
  imageReference: {
    publisher: 'microsoft-dsvm'
    offer: 'ubuntu-hpc'
    sku: '2404'
    version: 'latest'
  }
  nodeAgentSkuId: 'batch.node.ubuntu 24.04'
  containerConfiguration: union(
    {
      type: 'DockerCompatible'
    },
    empty(prefetchImages) ? {} : { containerImageNames: prefetchImages },
    empty(containerRegistryServer)
      ? {}
      : {
          containerRegistries: [
            {
              registryServer: containerRegistryServer
              identityReference: {
                resourceId: identityId
              }
            }
          ]
        }
  )
}

// Pending tasks (waiting + running) over the last 15 minutes decide the node count; none pending means
// zero nodes. Nodes leave only after their running task completes.
func autoScaleFormula(maxNodes int, spot bool) string =>
  '$samples = $PendingTasks.GetSamplePercent(TimeInterval_Minute * 15); $tasks = $samples < 70 ? max(0, $PendingTasks.GetSample(1)) : max($PendingTasks.GetSample(1), avg($PendingTasks.GetSample(TimeInterval_Minute * 15))); $nodes = max(0, min($tasks, ${maxNodes})); $TargetDedicatedNodes = ${spot ? '0' : '$nodes'}; $TargetLowPriorityNodes = ${spot ? '$nodes' : '0'}; $NodeDeallocationOption = taskcompletion;'

resource batch 'Microsoft.Batch/batchAccounts@2025-06-01' = {
  name: name
  location: location
  tags: tags
  identity: identityProperty
  properties: {
    poolAllocationMode: 'BatchService'
    allowedAuthenticationModes: [
      'AAD'
    ]
    publicNetworkAccess: 'Enabled'
    autoStorage: {
      storageAccountId: storageAccountId
      authenticationMode: 'BatchAccountManagedIdentity'
      nodeIdentityReference: {
        resourceId: identityId
      }
    }
  }
}

resource gpuPool 'Microsoft.Batch/batchAccounts/pools@2025-06-01' = {
  parent: batch
  name: 'gpu-pool'
  identity: identityProperty
  properties: {
    displayName: 'GPU training steps'
    vmSize: gpuVmSize
    taskSlotsPerNode: 1
    interNodeCommunication: 'Disabled'
    deploymentConfiguration: {
      virtualMachineConfiguration: virtualMachineConfiguration
    }
    scaleSettings: {
      autoScale: {
        evaluationInterval: 'PT5M'
        formula: autoScaleFormula(gpuMaxNodes, useSpotNodes)
      }
    }
  }
}

resource cpuPool 'Microsoft.Batch/batchAccounts/pools@2025-06-01' = {
  parent: batch
  name: 'cpu-pool'
  identity: identityProperty
  properties: {
    displayName: 'CPU batch steps'
    vmSize: cpuVmSize
    taskSlotsPerNode: 2
    interNodeCommunication: 'Disabled'
    deploymentConfiguration: {
      virtualMachineConfiguration: virtualMachineConfiguration
    }
    scaleSettings: {
      autoScale: {
        evaluationInterval: 'PT5M'
        formula: autoScaleFormula(cpuMaxNodes, useSpotNodes)
      }
    }
  }
}

output name string = batch.name
output accountUrl string = 'https://${batch.properties.accountEndpoint}'
output gpuPoolId string = gpuPool.name
output cpuPoolId string = cpuPool.name
