// Key Vault for connector credentials (connections' secretRef), authorised by Azure RBAC only.
param location string
param keyVaultName string
@description('Purge protection cannot be turned off once on; enable it for production.')
param enablePurgeProtection bool = false
@minValue(7)
@maxValue(90)
param softDeleteRetentionInDays int = 90
param tags object = {}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: keyVaultName
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: softDeleteRetentionInDays
    // The API rejects an explicit false: omit the property (null) to leave it off.
    enablePurgeProtection: enablePurgeProtection ? true : null
  }
}

output name string = vault.name
output uri string = vault.properties.vaultUri
