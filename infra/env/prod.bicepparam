// Production: zone-redundant storage, dedicated nodes, more headroom; still scales to zero when idle.
using '../main.bicep'

param envName = 'prod'
param storageSku = 'Standard_ZRS'
param gpuVmSize = 'Standard_NC24ads_A100_v4'
param gpuMaxNodes = 4
param cpuVmSize = 'Standard_D4as_v5'
param cpuMaxNodes = 8
param useSpotNodes = false
param containerRegistryServer = 'myregistry.azurecr.io'
param prefetchImages = [
  'myregistry.azurecr.io/gpu-example:1.0.0'
]
param maximumInstanceCount = 100
param instanceMemoryMB = 4096
param logRetentionInDays = 90
param tags = {
  costCenter: 'ml-prod'
}
