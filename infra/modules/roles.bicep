// Role assignments, all keyless data-plane roles. The app's identity gets what the runtime and the model
// call need; the optional deploying person gets the same, for keyless local runs against the real model.

@description('Storage account used by the Functions runtime and for the deployment package.')
param storageAccountName string

@description('Application Insights component the app sends telemetry to.')
param applicationInsightsName string

@description('Azure OpenAI account that serves the fine-tuned model.')
param openAiAccountName string

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

// Storage Blob Data Owner: host leases, function keys (azure-webjobs-secrets) and the deployment package.
var storageBlobDataOwner = 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
// Storage Queue Data Contributor: the Functions host's internal queues.
var storageQueueDataContributor = '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
// Storage Table Data Contributor: the feedback table (answers, decisions) and the Functions host's diagnostic events.
var storageTableDataContributor = '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
// Monitoring Metrics Publisher: send telemetry to Application Insights with local auth disabled.
var monitoringMetricsPublisher = '3913510d-42f4-4e42-8a64-420c390055eb'
// Cognitive Services OpenAI User: call deployments (chat/completions) with an Entra ID token.
var cognitiveServicesOpenAiUser = '5e0bd9bd-7b93-4f28-af87-19fc36ad61bd'
// Cognitive Services OpenAI Contributor: upload training files and run fine-tuning jobs (deploying person only).
var cognitiveServicesOpenAiContributor = 'a001fd3d-188f-4b5d-821b-7da978bf7442'

var appPrincipal = [
  {
    id: appPrincipalId
    type: 'ServicePrincipal'
  }
]
var userPrincipal = empty(userPrincipalId) ? [] : [
  {
    id: userPrincipalId
    type: userPrincipalType
  }
]
var principals = concat(appPrincipal, userPrincipal)
resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource openAi 'Microsoft.CognitiveServices/accounts@2024-10-01' existing = {
  name: openAiAccountName
}

resource blobDataOwner 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for principal in principals: {
  name: guid(storage.id, principal.id, storageBlobDataOwner)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageBlobDataOwner)
    principalId: principal.id
    principalType: principal.type
  }
}]

resource queueDataContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for principal in principals: {
  name: guid(storage.id, principal.id, storageQueueDataContributor)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageQueueDataContributor)
    principalId: principal.id
    principalType: principal.type
  }
}]

resource tableDataContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for principal in principals: {
  name: guid(storage.id, principal.id, storageTableDataContributor)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageTableDataContributor)
    principalId: principal.id
    principalType: principal.type
  }
}]

resource metricsPublisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for principal in principals: {
  name: guid(applicationInsights.id, principal.id, monitoringMetricsPublisher)
  scope: applicationInsights
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', monitoringMetricsPublisher)
    principalId: principal.id
    principalType: principal.type
  }
}]

resource openAiUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for principal in principals: {
  name: guid(openAi.id, principal.id, cognitiveServicesOpenAiUser)
  scope: openAi
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', cognitiveServicesOpenAiUser)
    principalId: principal.id
    principalType: principal.type
  }
}]

resource openAiContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(userPrincipalId)) {
  name: guid(openAi.id, userPrincipalId, cognitiveServicesOpenAiContributor)
  scope: openAi
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', cognitiveServicesOpenAiContributor)
    principalId: userPrincipalId
    principalType: userPrincipalType
  }
}
