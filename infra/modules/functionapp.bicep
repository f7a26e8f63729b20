// Function App on Flex Consumption (Linux, Node 20) with a system-assigned identity.
// Every app setting the deployed app gets is listed in `appSettings` below
// (tests/infra/infra.test.ts checks them against shared/config.ts SETTING_NAMES).
param location string
param planName string
param functionAppName string
param storageAccountName string
param deploymentContainerUrl string
param appInsightsName string
param cosmosEndpoint string
param cosmosDatabaseName string
param serviceBusFullyQualifiedNamespace string
param keyVaultUri string
@description('Microsoft Entra ID tenant whose tokens the admin API accepts.')
param entraTenantId string
@description('Audiences the admin API accepts: the app registration\'s Application ID URI and/or client id, comma-separated.')
param entraAudience string
@description('Token claim listing the shardsync tenants a principal may act for.')
param entraTenantsClaim string = 'shardsync_tenants'
@allowed(['debug', 'info', 'warn', 'error'])
param logLevel string = 'info'
@allowed([512, 2048, 4096])
param instanceMemoryMB int = 2048
@maxValue(1000)
param maximumInstanceCount int = 100
param tags object = {}

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: appInsightsName
}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    tier: 'FlexConsumption'
    name: 'FC1'
  }
  properties: {
    reserved: true // Linux
  }
}

resource site 'Microsoft.Web/sites@2024-04-01' = {
  name: functionAppName
  location: location
  tags: tags
  kind: 'functionapp,linux'
  identity: { type: 'SystemAssigned' }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      // Flex Consumption rejects FUNCTIONS_WORKER_RUNTIME / FUNCTIONS_EXTENSION_VERSION /
      // WEBSITE_RUN_FROM_PACKAGE: runtime and package come from functionAppConfig.
      appSettings: [
        {
          name: 'AzureWebJobsStorage__accountName'
          value: storageAccountName
        }
        {
          name: 'APPLICATIONINSIGHTS_CONNECTION_STRING'
          value: appInsights.properties.ConnectionString
        }
        {
          // Application Insights has local auth disabled: send telemetry with the app's identity.
          name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING'
          value: 'Authorization=AAD'
        }
        {
          name: 'SHARDSYNC_STORE'
          value: 'cosmos'
        }
        {
          name: 'SHARDSYNC_BUS'
          value: 'servicebus'
        }
        {
          name: 'SHARDSYNC_SECRETS'
          value: 'keyvault'
        }
        {
          name: 'SHARDSYNC_LOG_LEVEL'
          value: logLevel
        }
        {
          name: 'COSMOS_ENDPOINT'
          value: cosmosEndpoint
        }
        {
          name: 'COSMOS_DATABASE'
          value: cosmosDatabaseName
        }
        {
          // Read by the Service Bus trigger extension (connection 'ServiceBusConnection') and by the bus adapter.
          name: 'ServiceBusConnection__fullyQualifiedNamespace'
          value: serviceBusFullyQualifiedNamespace
        }
        {
          name: 'KEY_VAULT_URL'
          value: keyVaultUri
        }
        {
          // Admin API callers: Entra ID bearer tokens (verified in code) and tenant API keys.
          name: 'SHARDSYNC_ENTRA_TENANT_ID'
          value: entraTenantId
        }
        {
          name: 'SHARDSYNC_ENTRA_AUDIENCE'
          value: entraAudience
        }
        {
          name: 'SHARDSYNC_ENTRA_TENANTS_CLAIM'
          value: entraTenantsClaim
        }
        {
          // The host refuses larger bodies before the worker sees them: the largest route limit (webhooks, 10 MiB).
          name: 'FUNCTIONS_REQUEST_BODY_SIZE_LIMIT'
          value: '10485760'
        }
      ]
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: deploymentContainerUrl
          authentication: { type: 'SystemAssignedIdentity' }
        }
      }
      scaleAndConcurrency: {
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
      }
      runtime: {
        name: 'node'
        version: '20'
      }
    }
  }
}

output name string = site.name
output principalId string = site.identity.principalId
output defaultHostName string = site.properties.defaultHostName
