// Cosmos DB (NoSQL API) account, the shardsync database and its containers
// (definitions in infra/cosmos/containers.json).
param location string
param accountName string
param databaseName string
@description('serverless: pay per request (dev/test, bursty load). autoscale: provisioned RU/s shared by the database.')
@allowed(['serverless', 'autoscale'])
param capacityMode string = 'serverless'
@description('Upper bound of the database\'s shared autoscale throughput (ignored when serverless).')
@minValue(1000)
param autoscaleMaxThroughput int = 1000
@description('Container definitions: { id, partitionKeyPaths, defaultTtl, indexingPolicy }.')
param containers array
param tags object = {}

var serverless = capacityMode == 'serverless'

resource account 'Microsoft.DocumentDB/databaseAccounts@2024-11-15' = {
  name: accountName
  location: location
  tags: tags
  kind: 'GlobalDocumentDB'
  properties: {
    databaseAccountOfferType: 'Standard'
    locations: [
      {
        locationName: location
        failoverPriority: 0
        isZoneRedundant: false
      }
    ]
    // ETag conditional writes and read-your-writes within a session are what the store relies on.
    consistencyPolicy: { defaultConsistencyLevel: 'Session' }
    capabilities: serverless ? [{ name: 'EnableServerless' }] : []
    // Keys off: data access only through Entra ID (sqlRoleAssignments); schema only through ARM.
    disableLocalAuth: true
    disableKeyBasedMetadataWriteAccess: true
    minimalTlsVersion: 'Tls12'
  }
}

resource database 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases@2024-11-15' = {
  parent: account
  name: databaseName
  properties: {
    resource: { id: databaseName }
    options: serverless ? {} : { autoscaleSettings: { maxThroughput: autoscaleMaxThroughput } }
  }
}

resource container 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2024-11-15' = [for c in containers: {
  parent: database
  name: c.id
  properties: {
    resource: {
      id: c.id
      // More than one path is a hierarchical partition key (e.g. /tenantId, /shardType).
      partitionKey: {
        paths: c.partitionKeyPaths
        kind: length(c.partitionKeyPaths) > 1 ? 'MultiHash' : 'Hash'
        version: 2
      }
      // Absent (null) = TTL off; -1 = on without a default, so documents' own `ttl` applies.
      defaultTtl: c.?defaultTtl
      indexingPolicy: c.?indexingPolicy
    }
  }
}]

output name string = account.name
output endpoint string = account.properties.documentEndpoint
output databaseName string = database.name
