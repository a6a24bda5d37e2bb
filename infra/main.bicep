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
@description('Region of all resources except Azure OpenAI: one that offers Flex Consumption (the regions of Microsoft\'s own Flex Consumption quickstart template, checked 2026-12-07), so a region without it fails before anything is created.')
@allowed([
  'australiaeast'
  'australiasoutheast'
  'brazilsouth'
  'canadacentral'
  'centralindia'
  'centralus'
  'eastasia'
  'eastus'
  'eastus2'
  'francecentral'
  'germanywestcentral'
  'italynorth'
  'japaneast'
  'koreacentral'
  'northcentralus'
  'northeurope'
  'norwayeast'
  'southafricanorth'
  'southcentralus'
  'southeastasia'
  'southindia'
  'spaincentral'
  'swedencentral'
  'uaenorth'
  'uksouth'
  'ukwest'
  'westcentralus'
  'westeurope'
  'westus'
  'westus2'
  'westus3'
])
@metadata({
  azd: {
    type: 'location'
  }
})
param location string

// Flex Consumption regions without availability zones (Microsoft's "Azure regions list", checked 2026-12-07): the
// storage there is geo-redundant instead of zone-redundant.
var regionsWithoutZones = [
  'australiasoutheast'
  'northcentralus'
  'southindia'
  'ukwest'
  'westcentralus'
  'westus'
]

@description('Region of the Azure OpenAI account: one where fine-tuned models can be deployed (docs/deploy-azure.md). Standard deployments of the current base models need northcentralus or swedencentral (gpt-4o also eastus2).')
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

@description('Deployment the app calls (BESTDEV_SERVING_DEPLOYMENT). `bestdev finetune deploy|promote|rollback` set it in the app and in the azd environment; azd only passes it on, so a provision keeps what serves. Empty: the app answers from its local recommender.')
param servingDeployment string = ''

@description('Fine-tuned model in that deployment (BESTDEV_SERVING_MODEL), for the retirement warnings.')
param servingModel string = ''

@description('Base model the fine-tuned models come from: the region gate checks the account can serve them.')
param fineTuneBaseModel string = 'gpt-4.1-mini-2025-04-14'

@description('Deployment type of the fine-tuned models (the CLI reads AZURE_OPENAI_DEPLOYMENT_SKU): Standard (regional, hourly hosting), GlobalStandard (hourly hosting), DeveloperTier (testing only: no hosting fee, no SLA, deleted after 24 hours; gpt-4.1 family only).')
@allowed([
  'Standard'
  'GlobalStandard'
  'DeveloperTier'
])
param openAiDeploymentSkuName string = 'Standard'

@description('Capacity of each new model deployment, in thousands of tokens a minute (the CLI reads AZURE_OPENAI_DEPLOYMENT_CAPACITY). 50: about 300 requests a minute at the app\'s token budget, enough for an interactive team. The hourly hosting fee does not depend on it.')
param openAiDeploymentCapacity string = '50'

@description('Monthly cost budget of the resource group, in the billing currency; mails at 80% spent and 100% forecast.')
param budgetAmount string = '100'

@description('Comma-separated mail addresses for the budget alerts, besides the resource group\'s owners and contributors.')
param budgetContactEmails string = ''

@description('First month of the budget (yyyy-MM-01). Fixed, so a later provision does not move the budget\'s start.')
param budgetStartDate string = '2026-12-01'

@description('Delete locks on the OpenAI account and the storage account, so `azd down` cannot delete the fine-tuned models or the feedback.')
@allowed([
  'true'
  'false'
])
param protectData string = 'true'

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

@description('BESTDEV_KEEP_ALIVE_DAYS: days without a call to the fine-tuned deployment after which the daily timer sends one small call (Azure deletes it after 15 idle days). 0 (the default): off, so an unused deployment stops costing its hourly fee; on, it is billed every hour of the month.')
@minValue(0)
@maxValue(14)
param keepAliveDays int = 0

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
    skuName: contains(regionsWithoutZones, location) ? 'Standard_GRS' : 'Standard_ZRS'
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
    baseModel: fineTuneBaseModel
    deploymentSkuName: openAiDeploymentSkuName
  }
}

module diagnostics 'modules/diagnostics.bicep' = {
  name: 'diagnostics'
  scope: rg
  params: {
    openAiAccountName: openAi.outputs.name
    storageAccountName: storage.outputs.name
    workspaceId: monitoring.outputs.logAnalyticsWorkspaceId
  }
}

module locks 'modules/locks.bicep' = if (protectData == 'true') {
  name: 'locks'
  scope: rg
  params: {
    openAiAccountName: openAi.outputs.name
    storageAccountName: storage.outputs.name
  }
}

module budget 'modules/budget.bicep' = {
  name: 'budget'
  scope: rg
  params: {
    name: 'budget-${environmentName}'
    amount: int(budgetAmount)
    startDate: budgetStartDate
    contactEmails: empty(budgetContactEmails) ? [] : split(replace(budgetContactEmails, ' ', ''), ',')
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

// The model settings stay empty until the CLI has switched the app to a deployment, so the app answers locally.
var appOpenAiEndpoint = empty(servingDeployment) ? '' : openAi.outputs.endpoint

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
    fineTunedModelName: servingModel
    keepAliveDays: keepAliveDays
    openAiAccountName: openAi.outputs.name
    openAiEndpoint: appOpenAiEndpoint
    openAiDeployment: servingDeployment
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

// What the app in Azure sees, prefixed APP_: `eval "$(azd env get-values)"` in a shell must not turn a local run
// into the app (its identity's AZURE_CLIENT_ID, the Azure feedback table, the deployed model).
output APP_AZURE_OPENAI_ENDPOINT string = appOpenAiEndpoint
output APP_AZURE_OPENAI_DEPLOYMENT string = servingDeployment
output APP_AZURE_OPENAI_API_VERSION string = openAiApiVersion
output APP_AZURE_CLIENT_ID string = identity.outputs.clientId
output APP_BESTDEV_MODEL_API string = modelApi
output APP_BESTDEV_FALLBACK string = fallback
output APP_BESTDEV_CORS_ORIGINS string = corsOrigins
output APP_BESTDEV_FUNCTION_AUTH_LEVEL string = signIn ? 'anonymous' : 'function'
output APP_BESTDEV_REQUIRED_ROLE string = signIn ? 'BestDev.User' : ''
output APP_BESTDEV_LOG_DESCRIPTIONS string = logDescriptions ? 'true' : 'false'
output APP_BESTDEV_FINE_TUNED_MODEL string = servingModel
output APP_BESTDEV_KEEP_ALIVE_DAYS string = string(keepAliveDays)
output APP_BESTDEV_FEEDBACK_STORE string = 'azure-tables'
output APP_BESTDEV_FEEDBACK_TABLE_ENDPOINT string = storage.outputs.tableEndpoint
output APP_BESTDEV_FEEDBACK_TABLE string = storage.outputs.feedbackTableName
output APP_BESTDEV_FEEDBACK_DAYS string = string(feedbackDays)
output APP_APPLICATIONINSIGHTS_CONNECTION_STRING string = monitoring.outputs.applicationInsightsConnectionString

// Where the company's pool is published (`bestdev pool publish`, `dataset build` read it; so does a local run, with
// the developer's own login, which is what training on the company's pool needs).
output BESTDEV_POOL_URL string = '${storage.outputs.blobEndpoint}${storage.outputs.poolContainerName}'

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
output AZURE_OPENAI_DEPLOYMENT_SKU string = openAiDeploymentSkuName
output AZURE_OPENAI_DEPLOYMENT_CAPACITY string = openAiDeploymentCapacity
output AZURE_BUDGET_NAME string = budget.outputs.name
