// Storage for the Functions runtime (AzureWebJobsStorage), the Flex Consumption deployment package, the feedback
// table and the published pool.
// Keyless: shared-key access is off, so only Entra ID identities with data roles can read or write.

@description('Name of the storage account (3-24 lowercase letters and digits).')
@minLength(3)
@maxLength(24)
param name string

@description('Azure region of the storage account.')
param location string

@description('Tags applied to the storage account.')
param tags object = {}

@description('Blob container that holds the deployment package of the Function App.')
param deploymentContainerName string

@description('Blob container of the published pool (BESTDEV_POOL_URL): `bestdev pool publish` writes, the app reads.')
param poolContainerName string = 'pool'

@description('Redundancy: zone-redundant where the region has availability zones, so the feedback (which cannot be made again) survives the loss of a datacenter; geo-redundant elsewhere (main.bicep chooses).')
@allowed([
  'Standard_ZRS'
  'Standard_GRS'
])
param skuName string = 'Standard_ZRS'

@description('Table that keeps the answers and the feedback on them (BESTDEV_FEEDBACK_TABLE).')
param feedbackTableName string = 'feedback'

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: skuName
  }
  // checkov:skip=CKV_AZURE_35: the Flex Consumption app has no VNet integration, so it reaches storage over the public endpoint; shared keys are off and only identities with data roles get in
  // checkov:skip=CKV_AZURE_206: replicated: skuName allows only Standard_ZRS and Standard_GRS (main.bicep picks by region); checkov does not resolve the parameter
  // checkov:skip=CKV_AZURE_59: same reason as CKV_AZURE_35: public endpoint, Entra ID only (allowSharedKeyAccess false)
  properties: {
    accessTier: 'Hot'
    allowBlobPublicAccess: false
    allowSharedKeyAccess: false
    allowCrossTenantReplication: false
    defaultToOAuthAuthentication: true
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      bypass: 'AzureServices'
      defaultAction: 'Allow'
    }
  }
}

resource blobServices 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: storage
  name: 'default'
  properties: {
    deleteRetentionPolicy: {
      enabled: true
      days: 7
    }
    containerDeleteRetentionPolicy: {
      enabled: true
      days: 7
    }
  }
}

resource deploymentContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobServices
  name: deploymentContainerName
  properties: {
    publicAccess: 'None'
  }
}

// The company's pool, kept outside the code: every published version under versions/, the current one as pool.json.
resource poolContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobServices
  name: poolContainerName
  properties: {
    publicAccess: 'None'
  }
}

// Feedback on recommendations (POST /api/feedback), written by the app's identity (Storage Table Data Contributor).
resource tableServices 'Microsoft.Storage/storageAccounts/tableServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

resource feedbackTable 'Microsoft.Storage/storageAccounts/tableServices/tables@2023-05-01' = {
  parent: tableServices
  name: feedbackTableName
}

output name string = storage.name
output id string = storage.id
output blobEndpoint string = storage.properties.primaryEndpoints.blob
output deploymentContainerName string = deploymentContainer.name
output poolContainerName string = poolContainer.name
output tableEndpoint string = storage.properties.primaryEndpoints.table
output feedbackTableName string = feedbackTable.name
