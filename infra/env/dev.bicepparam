// Development: small, cheap, Spot nodes, everything scales to zero.
using '../main.bicep'

param envName = 'dev'
param storageSku = 'Standard_LRS'
param gpuVmSize = 'Standard_NC4as_T4_v3'
param gpuMaxNodes = 1
param cpuVmSize = 'Standard_D2as_v5'
param cpuMaxNodes = 2
param useSpotNodes = true
param maximumInstanceCount = 40
param instanceMemoryMB = 2048
param logRetentionInDays = 30
param tags = {
  costCenter: 'ml-dev'
}
