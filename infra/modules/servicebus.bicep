// Service Bus namespace and the work queues (definitions in infra/servicebus/queues.json).
param location string
param namespaceName string
@description('Standard or Premium: Basic has neither duplicate detection nor scheduled-message support we rely on.')
@allowed(['Standard', 'Premium'])
param sku string = 'Standard'
@description('Entries of infra/servicebus/queues.json.')
param queues array
param tags object = {}

resource namespace 'Microsoft.ServiceBus/namespaces@2024-01-01' = {
  name: namespaceName
  location: location
  tags: tags
  sku: { name: sku, tier: sku }
  properties: {
    // Only Entra ID: the app connects with ServiceBusConnection__fullyQualifiedNamespace + its identity.
    disableLocalAuth: true
    minimumTlsVersion: '1.2'
  }
}

// Duplicate detection cannot be changed on an existing queue: changing it in queues.json means
// deleting and recreating the queue.
resource queue 'Microsoft.ServiceBus/namespaces/queues@2024-01-01' = [for q in queues: {
  parent: namespace
  name: q.name
  properties: {
    maxDeliveryCount: q.maxDeliveryCount
    lockDuration: q.lockDuration
    requiresDuplicateDetection: q.requiresDuplicateDetection
    duplicateDetectionHistoryTimeWindow: q.duplicateDetectionHistoryTimeWindow
    deadLetteringOnMessageExpiration: q.deadLetteringOnMessageExpiration
    defaultMessageTimeToLive: q.defaultMessageTimeToLive
  }
}]

output name string = namespace.name
// Host name only (no scheme/port): the form the Functions host and the SDK expect.
output fullyQualifiedNamespace string = split(replace(namespace.properties.serviceBusEndpoint, 'https://', ''), ':')[0]
