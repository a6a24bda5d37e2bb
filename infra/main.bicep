// BestDev in Azure, keyless end to end: a Python Function App on Flex Consumption running as a
// user-assigned identity, its storage, monitoring and the Azure OpenAI account serving the fine-tuned model.
// Deploy with `azd up` (azure.yaml): only azd fills main.parameters.json's ${VAR=default} placeholders. With the
// Azure CLI, pass the parameters inline instead (`az deployment sub create ... --parameters environmentName=...`).
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('Name of the environment (azd env name); it names the resource group and seeds the resource token.')
param environmentName string

@minLength(1)
@description('Region of all resources except Azure OpenAI (one that offers Flex Consumption).')
@metadata({
  azd: {
    type: 'location'
  }
})
param location string

@description('Region of the Azure OpenAI account: one where fine-tuning runs and fine-tuned models can be deployed (README, Deploy to Azure). Standard deployments of the current base models need northcentralus or swedencentral (gpt-4o also eastus2).')
@allowed([
  'australiaeast'
  'brazilsouth'
  'canadacentral'
  'canadaeast'
  'eastus'
  'eastus2'
  'francecentral'
  'germanywestcentral'
  'italynorth'
  'japaneast'
  'koreacentral'
  'northcentralus'
  'norwayeast'
  'polandcentral'
  'southafricanorth'
  'southcentralus'
  'southeastasia'
  'southindia'
  'spaincentral'
  'swedencentral'
  'switzerlandnorth'
  'switzerlandwest'
  'uksouth'
  'westeurope'
  'westus'
  'westus3'
])
param openAiLocation string = 'swedencentral'

@description('Principal id of the deploying person, given the same data roles as the app for keyless local runs. Empty: none.')
param principalId string = ''

@description('Kind of principal behind principalId.')
@allowed([
  'User'
  'Group'
  'ServicePrincipal'
])
param principalType string = 'User'

@description('Fine-tuned model id to deploy, e.g. gpt-4o-mini-2024-07-18.ft-abc123. Empty until training is done: the app then answers from its local recommender.')
param fineTunedModelName string = ''

@description('Version of the fine-tuned model.')
param fineTunedModelVersion string = '1'

@description('Name of the model deployment the app calls.')
param openAiDeploymentName string = 'bestdev-ft'

@description('Deployment type of the fine-tuned model: Standard (regional, hourly hosting), GlobalStandard (hourly hosting), DeveloperTier (testing only: no SLA, deleted after 24 hours).')
@allowed([
  'Standard'
  'GlobalStandard'
  'DeveloperTier'
])
param openAiDeploymentSkuName string = 'Standard'

@description('Capacity of the model deployment, in units of 1,000 tokens per minute.')
@minValue(1)
param openAiDeploymentCapacity int = 1

@description('Azure OpenAI API version the app uses (AZURE_OPENAI_API_VERSION).')
param openAiApiVersion string = '2024-10-21'

@description('API the fine-tuned model was trained for (BESTDEV_MODEL_API).')
@allowed([
  'chat'
  'completions'
])
param modelApi string = 'chat'

@description('What the app does when the model fails (BESTDEV_FALLBACK).')
@allowed([
  'local'
  'none'
])
param fallback string = 'local'

@description('Comma-separated browser origins allowed to call the API cross-origin (BESTDEV_CORS_ORIGINS): the platform\'s CORS list.')
param corsOrigins string = ''

@description('Log the project descriptions people send (BESTDEV_LOG_DESCRIPTIONS).')
param logDescriptions bool = false

@description('BESTDEV_FEEDBACK_DAYS: how long answers and the feedback on them are kept, in days.')
@minValue(1)
@maxValue(3650)
param feedbackDays int = 30

@description('Most instances the Function App scales out to.')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 40

@description('Memory of each Function App instance in MB.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

@description('HTTP requests one instance serves at once before Flex Consumption adds another (README, Deploy to Azure).')
@minValue(1)
@maxValue(1000)
param httpPerInstanceConcurrency int = 50

@description('BESTDEV_KEEP_ALIVE_DAYS: days without a call to the fine-tuned deployment after which the daily timer sends one small call (Azure deletes it after 15 idle days). 0: off.')
@minValue(0)
@maxValue(14)
param keepAliveDays int = 7

@description('Who may call: entra (people and services sign in with Entra ID, App Service authentication; the default) or functionKeys (service callers with a function key only; the page does not work).')
@allowed([
  'entra'
  'functionKeys'
])
param authentication string = 'entra'

@description('Client id of an existing Entra ID app registration for sign-in. Empty: the deployment creates one (Microsoft Graph Bicep extension).')
param entraClientId string = ''

@description('Comma-separated client ids of the service applications allowed to call the API with their own tokens (BESTDEV_ALLOWED_CLIENT_APPS).')
param allowedClientApps string = ''

var abbrs = loadJsonContent('abbreviations.json')
// One short token per subscription, environment and region keeps every global name unique.
var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = {
  'azd-env-name': environmentName
}
var functionAppName = '${abbrs.webSitesFunctions}api-${resourceToken}'
var deploymentContainerName = 'app-package-${take(functionAppName, 32)}-${take(resourceToken, 7)}'
var openAiAccountName = '${abbrs.cognitiveServicesOpenAI}${resourceToken}'

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: '${abbrs.resourcesResourceGroups}${environmentName}'
  location: location
  tags: tags
}

module identity 'modules/identity.bicep' = {
  name: 'identity'
  scope: rg
  params: {
    name: '${abbrs.managedIdentityUserAssignedIdentities}api-${resourceToken}'
    location: location
    tags: tags
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    logAnalyticsName: '${abbrs.operationalInsightsWorkspaces}${resourceToken}'
    applicationInsightsName: '${abbrs.insightsComponents}${resourceToken}'
    location: location
    tags: tags
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  scope: rg
  params: {
    name: '${abbrs.storageStorageAccounts}${resourceToken}'
    location: location
    tags: tags
    deploymentContainerName: deploymentContainerName
  }
}

module openAi 'modules/openai.bicep' = {
  name: 'openai'
  scope: rg
  params: {
    name: openAiAccountName
    customSubDomainName: openAiAccountName
    location: openAiLocation
    tags: tags
    deploymentName: openAiDeploymentName
    fineTunedModelName: fineTunedModelName
    fineTunedModelVersion: fineTunedModelVersion
    deploymentSkuName: openAiDeploymentSkuName
    deploymentCapacity: openAiDeploymentCapacity
  }
}

module roles 'modules/roles.bicep' = {
  name: 'roles'
  scope: rg
  params: {
    storageAccountName: storage.outputs.name
    feedbackTableName: storage.outputs.feedbackTableName
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    openAiAccountName: openAi.outputs.name
    appPrincipalId: identity.outputs.principalId
    userPrincipalId: principalId
    userPrincipalType: principalType
  }
}

// The model settings stay empty until a fine-tuned model is deployed, so the first deployment answers locally.
var appOpenAiEndpoint = empty(fineTunedModelName) ? '' : openAi.outputs.endpoint

module functionApp 'modules/functionapp.bicep' = {
  name: 'functionapp'
  scope: rg
  // The app starts only once its identity can reach storage, telemetry and the model.
  dependsOn: [
    roles
  ]
  params: {
    name: functionAppName
    planName: '${abbrs.webServerFarms}${resourceToken}'
    location: location
    tags: tags
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageBlobEndpoint: storage.outputs.blobEndpoint
    deploymentContainerName: storage.outputs.deploymentContainerName
    feedbackTableEndpoint: storage.outputs.tableEndpoint
    feedbackTableName: storage.outputs.feedbackTableName
    applicationInsightsConnectionString: monitoring.outputs.applicationInsightsConnectionString
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
    httpPerInstanceConcurrency: httpPerInstanceConcurrency
    fineTunedModelName: fineTunedModelName
    keepAliveDays: keepAliveDays
    openAiAccountName: openAi.outputs.name
    openAiEndpoint: appOpenAiEndpoint
    openAiDeployment: openAi.outputs.deploymentName
    openAiApiVersion: openAiApiVersion
    modelApi: modelApi
    fallback: fallback
    corsOrigins: corsOrigins
    logDescriptions: logDescriptions
    feedbackDays: feedbackDays
    functionAuthLevel: signIn ? 'anonymous' : 'function'
    requiredRole: signIn ? 'BestDev.User' : ''
  }
}

var signIn = authentication == 'entra'

// The app registration, unless an existing one is given (BESTDEV_ENTRA_CLIENT_ID); then App Service authentication.
module entra 'modules/entra.bicep' = if (signIn && empty(entraClientId)) {
  name: 'entra'
  scope: rg
  params: {
    functionAppName: functionApp.outputs.name
    appHostName: functionApp.outputs.hostName
    registrationName: 'bestdev-${environmentName}-${resourceToken}'
    userPrincipalId: principalId
  }
}

var signInClientId = empty(entraClientId) ? entra!.outputs.clientId : entraClientId

module auth 'modules/auth.bicep' = if (signIn) {
  name: 'auth'
  scope: rg
  params: {
    functionAppName: functionApp.outputs.name
    appHostName: functionApp.outputs.hostName
    clientId: signInClientId
    allowedClientApplications: empty(allowedClientApps) ? [] : split(replace(allowedClientApps, ' ', ''), ',')
  }
}

// Outputs named exactly like the app settings: `azd env get-values` gives what the app in Azure sees.
output AZURE_OPENAI_ENDPOINT string = appOpenAiEndpoint
output AZURE_OPENAI_DEPLOYMENT string = openAi.outputs.deploymentName
output AZURE_OPENAI_API_VERSION string = openAiApiVersion
output AZURE_CLIENT_ID string = identity.outputs.clientId
output BESTDEV_MODEL_API string = modelApi
output BESTDEV_FALLBACK string = fallback
output BESTDEV_CORS_ORIGINS string = corsOrigins
output BESTDEV_FUNCTION_AUTH_LEVEL string = signIn ? 'anonymous' : 'function'
output BESTDEV_REQUIRED_ROLE string = signIn ? 'BestDev.User' : ''
output BESTDEV_LOG_DESCRIPTIONS string = logDescriptions ? 'true' : 'false'
output BESTDEV_FINE_TUNED_MODEL string = fineTunedModelName
output BESTDEV_KEEP_ALIVE_DAYS string = string(keepAliveDays)
output BESTDEV_FEEDBACK_STORE string = 'azure-tables'
output BESTDEV_FEEDBACK_TABLE_ENDPOINT string = storage.outputs.tableEndpoint
output BESTDEV_FEEDBACK_TABLE string = storage.outputs.feedbackTableName
output BESTDEV_FEEDBACK_DAYS string = string(feedbackDays)
output APPLICATIONINSIGHTS_CONNECTION_STRING string = monitoring.outputs.applicationInsightsConnectionString

// Where things are, named as the finetune commands read them (`azd env get-values` gives all they need).
output AZURE_LOCATION string = location
output AZURE_OPENAI_LOCATION string = openAiLocation
output AZURE_SUBSCRIPTION_ID string = subscription().subscriptionId
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.name
output AZURE_FUNCTION_URL string = functionApp.outputs.url
// Sign-in (docs/deploy-azure.md): the app registration services request tokens for, and where people sign in.
// (not named BESTDEV_ENTRA_CLIENT_ID: azd would feed it back as "an existing registration" on the next provision)
output BESTDEV_SIGN_IN_CLIENT_ID string = signIn ? signInClientId : ''
output BESTDEV_SIGN_IN_URL string = signIn ? auth!.outputs.signInUrl : ''
output AZURE_OPENAI_ACCOUNT string = openAi.outputs.name
output AZURE_OPENAI_ACCOUNT_ENDPOINT string = openAi.outputs.endpoint
