// Role assignments, least privilege, all keyless. The app's identity gets only what it uses: blobs for the
// Functions host (keys, leases, timer schedule, the package), telemetry, calls to the model and that model's
// request metrics (the keep-alive timer), and the feedback table. The deploying person gets only what
// fine-tuning, local runs, exporting feedback and publishing the pool need.

@description('Storage account used by the Functions runtime and for the deployment package.')
param storageAccountName string

@description('Application Insights component the app sends telemetry to.')
param applicationInsightsName string

@description('Azure OpenAI account that serves the fine-tuned model.')
param openAiAccountName string

@description('Table that keeps answers and the feedback on them (in the storage account above).')
param feedbackTableName string

@description('Blob container of the published pool (in the storage account above).')
param poolContainerName string = 'pool'

@description('Principal id of the Function App managed identity.')
param appPrincipalId string

@description('Principal id of the deploying person (or CI identity). Empty: no extra assignments.')
param userPrincipalId string = ''

@description('Kind of principal behind userPrincipalId.')
@allowed([
  'User'
  'Group'
  'ServicePrincipal'
])
param userPrincipalType string = 'User'

// Storage Blob Data Owner: host leases, function keys (azure-webjobs-secrets), timer schedule and the package.
var storageBlobDataOwner = 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
// Storage Table Data Contributor: the feedback table (answers kept, decisions people send, retention deletes).
var storageTableDataContributor = '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
// Storage Table Data Reader: read the feedback table, for `bestdev feedback export` (deploying person only).
var storageTableDataReader = '76199698-9eea-4c19-bc75-cec21354c6b6'
// Storage Blob Data Reader: read the published pool (the app, on the pool container alone).
var storageBlobDataReader = '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1'
// Storage Blob Data Contributor: publish pool versions (`bestdev pool publish`; deploying person, pool container only).
var storageBlobDataContributor = 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
// Monitoring Metrics Publisher: send telemetry to Application Insights with local auth disabled.
var monitoringMetricsPublisher = '3913510d-42f4-4e42-8a64-420c390055eb'
// Cognitive Services OpenAI User: call deployments (chat/completions) with an Entra ID token.
var cognitiveServicesOpenAiUser = '5e0bd9bd-7b93-4f28-af87-19fc36ad61bd'
// Monitoring Reader: read the account's request metrics, to tell whether the deployment went idle.
var monitoringReader = '43d0d8ad-25c7-4714-9337-8ba259a9fe05'
// Cognitive Services OpenAI Contributor: files, fine-tuning jobs, deployments and calls (deploying person only).
var cognitiveServicesOpenAiContributor = 'a001fd3d-188f-4b5d-821b-7da978bf7442'

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource tableServices 'Microsoft.Storage/storageAccounts/tableServices@2023-05-01' existing = {
  parent: storage
  name: 'default'
}

resource feedbackTable 'Microsoft.Storage/storageAccounts/tableServices/tables@2023-05-01' existing = {
  parent: tableServices
  name: feedbackTableName
}

resource blobServices 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' existing = {
  parent: storage
  name: 'default'
}

resource poolContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' existing = {
  parent: blobServices
  name: poolContainerName
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource openAi 'Microsoft.CognitiveServices/accounts@2024-10-01' existing = {
  name: openAiAccountName
}

resource appBlobDataOwner 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, appPrincipalId, storageBlobDataOwner)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageBlobDataOwner)
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}

// Scoped to the feedback table alone, not the account.
resource appFeedbackTable 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(feedbackTable.id, appPrincipalId, storageTableDataContributor)
  scope: feedbackTable
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageTableDataContributor)
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}

// The published pool, read on the container alone: the pool the app serves keeps its own grant, whatever becomes
// of the account-wide role the Functions host needs.
resource appPoolReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(poolContainer.id, appPrincipalId, storageBlobDataReader)
  scope: poolContainer
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageBlobDataReader)
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}

resource appMetricsPublisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(applicationInsights.id, appPrincipalId, monitoringMetricsPublisher)
  scope: applicationInsights
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', monitoringMetricsPublisher)
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}

resource appOpenAiUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(openAi.id, appPrincipalId, cognitiveServicesOpenAiUser)
  scope: openAi
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', cognitiveServicesOpenAiUser)
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}

resource appMetricsReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(openAi.id, appPrincipalId, monitoringReader)
  scope: openAi
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', monitoringReader)
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}

// The deploying person runs the fine-tuning commands and the app locally against the model: OpenAI
// Contributor covers files, jobs, deployments and calls. Local runs need no storage or telemetry role.
resource userOpenAiContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(userPrincipalId)) {
  name: guid(openAi.id, userPrincipalId, cognitiveServicesOpenAiContributor)
  scope: openAi
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', cognitiveServicesOpenAiContributor)
    principalId: userPrincipalId
    principalType: userPrincipalType
  }
}

// The deploying person exports the feedback people gave (`bestdev feedback export`) to build the next dataset.
resource userFeedbackReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(userPrincipalId)) {
  name: guid(feedbackTable.id, userPrincipalId, storageTableDataReader)
  scope: feedbackTable
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageTableDataReader)
    principalId: userPrincipalId
    principalType: userPrincipalType
  }
}

// The deploying person publishes the company's pool (`bestdev pool publish`): writes on the pool container alone.
resource userPoolContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(userPrincipalId)) {
  name: guid(poolContainer.id, userPrincipalId, storageBlobDataContributor)
  scope: poolContainer
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageBlobDataContributor)
    principalId: userPrincipalId
    principalType: userPrincipalType
  }
}
