// shardsync: everything the Function App needs, in one resource group.
// Deploy: az deployment group create -g <rg> -f infra/main.bicep -p infra/main.parameters.json
targetScope = 'resourceGroup'

@description('Short lowercase prefix for resource names (letters, digits, hyphens).')
@minLength(2)
@maxLength(12)
param namePrefix string

@description('Deployment environment; part of every resource name.')
@allowed(['dev', 'test', 'prod'])
param environmentName string

@description('Region of every resource; must be one that offers Flex Consumption.')
param location string = resourceGroup().location

@description('Cosmos DB capacity: serverless (pay per request) or autoscale (shared database RU/s).')
@allowed(['serverless', 'autoscale'])
param cosmosCapacityMode string = 'serverless'

@description('Autoscale maximum RU/s of the database (only with cosmosCapacityMode=autoscale).')
@minValue(1000)
param cosmosAutoscaleMaxThroughput int = 1000

@allowed(['Standard', 'Premium'])
param serviceBusSku string = 'Standard'

@description('Key Vault purge protection; irreversible once on, so off by default outside prod.')
param keyVaultPurgeProtection bool = environmentName == 'prod'

@allowed(['debug', 'info', 'warn', 'error'])
param logLevel string = 'info'

@allowed([512, 2048, 4096])
param instanceMemoryMB int = 2048

@maxValue(1000)
param maximumInstanceCount int = 100

param tags object = {}

@description('Microsoft Entra ID tenant whose tokens the admin API accepts (default: this deployment\'s).')
param entraTenantId string = tenant().tenantId

@description('The admin API\'s app registration: its Application ID URI and/or client id (comma-separated). See infra/README.md.')
@minLength(1)
param entraAudience string

@description('Token claim listing the shardsync tenants a principal may act for (`*` = all).')
param entraTenantsClaim string = 'shardsync_tenants'

// Shared by the app (COSMOS_DATABASE) and the account; the app's default is the same name.
var cosmosDatabaseName = 'shardsync'

// Definitions shared with the code's QUEUES / CONTAINERS (tests/infra keeps them in step).
var queueDefinitions = loadJsonContent('servicebus/queues.json')
var containerDefinitions = loadJsonContent('cosmos/containers.json')

// Globally unique names stay stable per resource group + prefix + environment.
var token = take(uniqueString(resourceGroup().id, namePrefix, environmentName), 6)
var baseName = toLower('${namePrefix}-${environmentName}')
// Storage and Key Vault names: no hyphens, at most 24 characters.
var compactName = take(replace(baseName, '-', ''), 16)
var allTags = union({ app: 'shardsync', environment: environmentName }, tags)
var functionAppName = 'func-${baseName}-${token}'

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    location: location
    logAnalyticsName: 'log-${baseName}-${token}'
    appInsightsName: 'appi-${baseName}-${token}'
    tags: allTags
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    location: location
    storageAccountName: 'st${compactName}${token}'
    deploymentContainerName: 'app-package'
    tags: allTags
  }
}

module serviceBus 'modules/servicebus.bicep' = {
  name: 'servicebus'
  params: {
    location: location
    namespaceName: 'sb-${baseName}-${token}'
    sku: serviceBusSku
    queues: queueDefinitions
    tags: allTags
  }
}

module cosmos 'modules/cosmos.bicep' = {
  name: 'cosmos'
  params: {
    location: location
    accountName: 'cosmos-${baseName}-${token}'
    databaseName: cosmosDatabaseName
    capacityMode: cosmosCapacityMode
    autoscaleMaxThroughput: cosmosAutoscaleMaxThroughput
    containers: containerDefinitions
    tags: allTags
  }
}

module keyVault 'modules/keyvault.bicep' = {
  name: 'keyvault'
  params: {
    location: location
    keyVaultName: 'kv${compactName}${token}'
    enablePurgeProtection: keyVaultPurgeProtection
    tags: allTags
  }
}

module functionApp 'modules/functionapp.bicep' = {
  name: 'functionapp'
  params: {
    location: location
    planName: 'plan-${baseName}-${token}'
    functionAppName: functionAppName
    storageAccountName: storage.outputs.name
    deploymentContainerUrl: storage.outputs.deploymentContainerUrl
    appInsightsName: monitoring.outputs.appInsightsName
    cosmosEndpoint: cosmos.outputs.endpoint
    cosmosDatabaseName: cosmos.outputs.databaseName
    serviceBusFullyQualifiedNamespace: serviceBus.outputs.fullyQualifiedNamespace
    keyVaultUri: keyVault.outputs.uri
    entraTenantId: entraTenantId
    entraAudience: entraAudience
    entraTenantsClaim: entraTenantsClaim
    logLevel: logLevel
    instanceMemoryMB: instanceMemoryMB
    maximumInstanceCount: maximumInstanceCount
    tags: allTags
  }
}

// After the app exists (its identity is the principal); the resources are referenced by name.
module rbac 'modules/rbac.bicep' = {
  name: 'rbac'
  params: {
    principalId: functionApp.outputs.principalId
    storageAccountName: storage.outputs.name
    serviceBusNamespaceName: serviceBus.outputs.name
    cosmosAccountName: cosmos.outputs.name
    keyVaultName: keyVault.outputs.name
    appInsightsName: monitoring.outputs.appInsightsName
  }
}

output functionAppName string = functionApp.outputs.name
output functionAppUrl string = 'https://${functionApp.outputs.defaultHostName}'
output functionAppPrincipalId string = functionApp.outputs.principalId
output storageAccountName string = storage.outputs.name
output serviceBusNamespace string = serviceBus.outputs.fullyQualifiedNamespace
output cosmosEndpoint string = cosmos.outputs.endpoint
output cosmosDatabase string = cosmos.outputs.databaseName
output keyVaultUrl string = keyVault.outputs.uri
output appInsightsName string = monitoring.outputs.appInsightsName
