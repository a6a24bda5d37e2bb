// The Azure OpenAI account (Entra ID only: key auth disabled, custom subdomain for token auth) and the
// deployment of the fine-tuned model, created only once the model name is known (after training).

@description('Name of the Azure OpenAI account.')
param name string

@description('Custom subdomain of the account endpoint; Entra ID token auth needs one.')
param customSubDomainName string

@description('Azure region of the account (one where fine-tuned models can be deployed).')
param location string

@description('Tags applied to the account.')
param tags object = {}

@description('Name of the deployment the app calls (AZURE_OPENAI_DEPLOYMENT).')
param deploymentName string

@description('Fine-tuned model id, e.g. gpt-4o-mini-2024-07-18.ft-abc123. Empty: no deployment yet.')
param fineTunedModelName string = ''

@description('Version of the fine-tuned model.')
param fineTunedModelVersion string = '1'

@description('Deployment type of the fine-tuned model: Standard (regional), GlobalStandard, or DeveloperTier (testing only: no SLA, deleted after 24 hours).')
@allowed([
  'Standard'
  'GlobalStandard'
  'DeveloperTier'
])
param deploymentSkuName string = 'Standard'

@description('Capacity of the deployment in units of 1,000 tokens per minute.')
@minValue(1)
param deploymentCapacity int = 1

// Where a fine-tuned model can be deployed, per deployment type (Microsoft's fine-tuning model table, checked
// 2026-12-01; README "Deploy to Azure"). Standard: the base model's regional training regions only.
var standardRegions = {
  'gpt-4o-mini-2024-07-18': ['northcentralus', 'swedencentral']
  'gpt-4o-2024-08-06': ['eastus2', 'northcentralus', 'swedencentral']
  'gpt-4.1-2025-04-14': ['northcentralus', 'swedencentral']
  'gpt-4.1-mini-2025-04-14': ['northcentralus', 'swedencentral']
  'gpt-4.1-nano-2025-04-14': ['northcentralus', 'swedencentral']
}
// GlobalStandard and DeveloperTier: every base model above, from an account in a global fine-tuning region.
var globalRegions = [
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
]
var baseModel = split(fineTunedModelName, '.ft-')[0]
var knownBase = contains(standardRegions, baseModel)
var baseRegions = knownBase ? standardRegions[baseModel] : []
var standardFits = !knownBase || contains(baseRegions, location)
var placementFits = deploymentSkuName == 'Standard' ? standardFits : contains(globalRegions, location)
var standardAdvice = 'A Standard deployment of ${baseModel} exists only in ${join(baseRegions, ', ')}, not ${location}: set AZURE_OPENAI_LOCATION to one of them, or openAiDeploymentSkuName to GlobalStandard.'
var globalAdvice = 'A ${deploymentSkuName} deployment of a fine-tuned model needs an account in a global fine-tuning region (${join(globalRegions, ', ')}), not ${location}: set AZURE_OPENAI_LOCATION.'
var placementAdvice = deploymentSkuName == 'Standard' ? standardAdvice : globalAdvice
// ARM evaluates this lookup only when a model is deployed; a misfit fails with the advice as the missing key.
var placementGate = {
  fits: deploymentSkuName
}
var placementVerdict = (empty(fineTunedModelName) || placementFits) ? 'fits' : placementAdvice

resource account 'Microsoft.CognitiveServices/accounts@2024-10-01' = {
  name: name
  location: location
  tags: tags
  kind: 'OpenAI'
  sku: {
    name: 'S0'
  }
  // checkov:skip=CKV_AZURE_238: the account calls nothing itself (no customer-managed keys, no data sources), so it needs no identity of its own
  // checkov:skip=CKV_AZURE_134: the Flex Consumption app has no VNet integration, so it calls the public endpoint; key auth is disabled and only identities with an OpenAI role get in
  properties: {
    customSubDomainName: customSubDomainName
    disableLocalAuth: true
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      defaultAction: 'Allow'
    }
  }
}

resource fineTunedDeployment 'Microsoft.CognitiveServices/accounts/deployments@2024-10-01' = if (!empty(fineTunedModelName)) {
  parent: account
  name: deploymentName
  sku: {
    name: placementGate[placementVerdict]
    capacity: deploymentCapacity
  }
  properties: {
    model: {
      format: 'OpenAI'
      name: fineTunedModelName
      version: fineTunedModelVersion
    }
  }
}

output name string = account.name
output id string = account.id
output endpoint string = account.properties.endpoint
// Empty until the fine-tuned model is deployed, so the app keeps answering from its local recommender.
output deploymentName string = empty(fineTunedModelName) ? '' : deploymentName
