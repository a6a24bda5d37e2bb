// The Function App on the Flex Consumption plan (Linux, Python), running as the user-assigned identity.
// Every connection is identity-based; app settings are named exactly like the settings BestDev reads.

@description('Name of the Function App.')
param name string

@description('Name of the Flex Consumption plan.')
param planName string

@description('Azure region of the plan and the app.')
param location string

@description('Tags applied to the plan and the app.')
param tags object = {}

@description('Resource id of the user-assigned managed identity the app runs as.')
param identityId string

@description('Client id of that identity (AZURE_CLIENT_ID, storage and telemetry connections).')
param identityClientId string

@description('Blob endpoint of the storage account for AzureWebJobsStorage and the deployment package.')
param storageBlobEndpoint string

@description('Blob container holding the deployment package.')
param deploymentContainerName string

@description('Application Insights connection string (locates the component; local auth is disabled).')
param applicationInsightsConnectionString string

@description('Python version of the Functions worker.')
@allowed([
  '3.11'
])
param pythonVersion string = '3.11'

@description('Most instances the app scales out to.')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 40

@description('Memory of each instance in MB.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

@description('HTTP requests one instance serves at once before Flex Consumption adds an instance (see README, Deploy to Azure).')
@minValue(1)
@maxValue(1000)
param httpPerInstanceConcurrency int = 50

@description('AZURE_OPENAI_ENDPOINT: empty while no fine-tuned model is deployed.')
param openAiEndpoint string = ''

@description('AZURE_OPENAI_DEPLOYMENT: empty while no fine-tuned model is deployed.')
param openAiDeployment string = ''

@description('AZURE_OPENAI_API_VERSION.')
param openAiApiVersion string

@description('BESTDEV_MODEL_API: chat or completions, whichever the fine-tuned model was trained for.')
@allowed([
  'chat'
  'completions'
])
param modelApi string = 'chat'

@description('BESTDEV_FALLBACK: answer from the local recommender when the model fails (local) or not (none).')
@allowed([
  'local'
  'none'
])
param fallback string = 'local'

@description('BESTDEV_FINE_TUNED_MODEL: the deployed fine-tuned model id (retirement warnings). Empty: none yet.')
param fineTunedModelName string = ''

@description('BESTDEV_KEEP_ALIVE_DAYS: days without a call after which the timer sends one small call (0: off).')
@minValue(0)
@maxValue(14)
param keepAliveDays int = 7

@description('AZURE_OPENAI_ACCOUNT: the Azure OpenAI account, whose request metrics the keep-alive timer reads.')
param openAiAccountName string

@description('Browser origins allowed to call the API cross-origin (BESTDEV_CORS_ORIGINS, comma-separated): the Functions host answers CORS from this list (siteConfig.cors).')
param corsOrigins string = ''

@description('BESTDEV_LOG_DESCRIPTIONS: log the project descriptions people send.')
param logDescriptions bool = false

@description('BESTDEV_FEEDBACK_TABLE_ENDPOINT: the storage account\'s table endpoint, where feedback is kept.')
param feedbackTableEndpoint string

@description('BESTDEV_FEEDBACK_TABLE: the table that keeps answers and feedback.')
param feedbackTableName string = 'feedback'

@description('BESTDEV_FEEDBACK_DAYS: how long answers and feedback are kept, in days.')
@minValue(1)
@maxValue(3650)
param feedbackDays int = 30

@description('BESTDEV_FUNCTION_AUTH_LEVEL: anonymous when App Service authentication is the gate (auth.bicep), function (a function key, for service callers) when it is off.')
@allowed([
  'anonymous'
  'function'
])
param functionAuthLevel string = 'function'

@description('BESTDEV_REQUIRED_ROLE: the app role the app itself requires in X-MS-CLIENT-PRINCIPAL. Empty: no check (no sign-in).')
param requiredRole string = ''

var allowedOrigins = empty(corsOrigins) ? [] : split(replace(corsOrigins, ' ', ''), ',')

// The *ServiceUri form of the identity-based connection names the endpoint itself, so it works in every cloud.
// An HTTP app with a timer needs blobs only (host keys, leases, timer schedule, the package).
var appSettings = {
  AzureWebJobsStorage__blobServiceUri: storageBlobEndpoint
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: identityClientId
  APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsightsConnectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
  AZURE_CLIENT_ID: identityClientId
  AZURE_OPENAI_ENDPOINT: openAiEndpoint
  AZURE_OPENAI_DEPLOYMENT: openAiDeployment
  AZURE_OPENAI_API_VERSION: openAiApiVersion
  BESTDEV_MODEL_API: modelApi
  BESTDEV_FALLBACK: fallback
  BESTDEV_FUNCTION_AUTH_LEVEL: functionAuthLevel
  BESTDEV_REQUIRED_ROLE: requiredRole
  BESTDEV_LOG_DESCRIPTIONS: logDescriptions ? 'true' : 'false'
  BESTDEV_FINE_TUNED_MODEL: fineTunedModelName
  BESTDEV_KEEP_ALIVE_DAYS: string(keepAliveDays)
  AZURE_SUBSCRIPTION_ID: subscription().subscriptionId
  AZURE_RESOURCE_GROUP: resourceGroup().name
  AZURE_OPENAI_ACCOUNT: openAiAccountName
  BESTDEV_FEEDBACK_STORE: 'azure-tables'
  BESTDEV_FEEDBACK_TABLE_ENDPOINT: feedbackTableEndpoint
  BESTDEV_FEEDBACK_TABLE: feedbackTableName
  BESTDEV_FEEDBACK_DAYS: string(feedbackDays)
  BESTDEV_POOL_URL: '${storageBlobEndpoint}pool' // the pool container (storage.bicep), published with `bestdev pool publish`
}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  // checkov:skip=CKV_AZURE_225: zone redundancy on Flex Consumption is limited to some regions; a stateless API redeploys anywhere
  properties: {
    reserved: true
  }
}

resource app 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  tags: union(tags, {
    'azd-service-name': 'api'
  })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  // checkov:skip=CKV_AZURE_17: callers sign in with Entra ID (App Service authentication, auth.bicep), not client certificates
  // checkov:skip=CKV_AZURE_212: Flex Consumption scales by functionAppConfig.scaleAndConcurrency, numberOfWorkers does not apply
  // checkov:skip=CKV_AZURE_213: no platform health check is configured; probes call /api/health, which sign-in leaves open
  // checkov:skip=CKV_AZURE_222: a public HTTP API by design; every request but /api/health needs an Entra ID session or token
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    publicNetworkAccess: 'Enabled'
    siteConfig: {
      // checkov:skip=CKV_AZURE_78: Flex Consumption rejects siteConfig.ftpsState (a Flex deprecation); deployments go to a blob container, never FTP
      minTlsVersion: '1.2'
      scmMinTlsVersion: '1.2'
      http20Enabled: true
      // The host answers CORS itself, before authentication, so the app's own CORS (BESTDEV_CORS_ORIGINS) stays
      // off here: one list, and no header sent twice. Credentials: the page elsewhere calls with its session.
      cors: {
        allowedOrigins: allowedOrigins
        supportCredentials: !empty(allowedOrigins)
      }
      appSettings: [for setting in items(appSettings): {
        name: setting.key
        value: setting.value
      }]
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storageBlobEndpoint}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
        triggers: {
          http: {
            perInstanceConcurrency: httpPerInstanceConcurrency
          }
        }
      }
      runtime: {
        name: 'python'
        version: pythonVersion
      }
    }
  }
}

output name string = app.name
output url string = 'https://${app.properties.defaultHostName}'
output hostName string = app.properties.defaultHostName
