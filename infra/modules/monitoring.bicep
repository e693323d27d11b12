// Log Analytics and a workspace-based Application Insights component for traces, metrics and logs.

@description('Azure region.')
param location string

@description('Name stem for the workspace.')
param baseName string

@description('Application Insights component name.')
param appInsightsName string

@description('Days Log Analytics keeps data.')
@minValue(30)
@maxValue(730)
param retentionInDays int

@description('Tags for every resource.')
param tags object

resource workspace 'Microsoft.OperationalInsights/workspaces@2025-07-01' = {
  name: 'log-${baseName}'
  location: location
  tags: tags
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: retentionInDays
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: appInsightsName
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspace.id
    // Entra auth is configured on the app (APPLICATIONINSIGHTS_AUTHENTICATION_STRING); local auth stays on
    // until the host's telemetry path is confirmed to work with it alone.
    DisableLocalAuth: false
  }
}

output appInsightsName string = appInsights.name
output connectionString string = appInsights.properties.ConnectionString
