// The Azure OpenAI account (Entra ID only: key auth disabled, custom subdomain for token auth). It holds no model
// deployment: `bestdev finetune deploy|promote|rollback|undeploy` own those (one per model, blue/green), so
// `azd provision` never changes or reverts one.

@description('Name of the Azure OpenAI account.')
param name string

@description('Custom subdomain of the account endpoint; Entra ID token auth needs one.')
param customSubDomainName string

@description('Azure region of the account (one where fine-tuned models can be deployed).')
param location string

@description('Tags applied to the account.')
param tags object = {}

@description('Base model the fine-tuned models will come from: the region gate checks that this account can serve them.')
param baseModel string = 'gpt-4.1-mini-2025-04-14'

@description('Deployment type the CLI will use for the fine-tuned models (AZURE_OPENAI_DEPLOYMENT_SKU): Standard (regional), GlobalStandard, or DeveloperTier (testing only: no hosting fee, no SLA, deleted after 24 hours).')
@allowed([
  'Standard'
  'GlobalStandard'
  'DeveloperTier'
])
param deploymentSkuName string = 'Standard'

// Where a fine-tuned model can be deployed, per deployment type: Microsoft's deployment table for fine-tuned
// models (not the training table), checked 2026-12-07 (docs/deploy-azure.md; bestdev/finetune/placement.py holds
// the same table for the CLI). Standard: only where the base model is trained regionally.
var standardRegions = {
  'gpt-4o-mini-2024-07-18': ['northcentralus', 'swedencentral']
  'gpt-4o-2024-08-06': ['eastus2', 'northcentralus', 'swedencentral']
  'gpt-4.1-2025-04-14': ['northcentralus', 'swedencentral']
  'gpt-4.1-mini-2025-04-14': ['northcentralus', 'swedencentral']
  'gpt-4.1-nano-2025-04-14': ['northcentralus', 'swedencentral']
}
// GlobalStandard: every base model above; DeveloperTier: the gpt-4.1 family only; both from an account in a
// global fine-tuning region.
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
var developerModels = [
  'gpt-4.1-2025-04-14'
  'gpt-4.1-mini-2025-04-14'
  'gpt-4.1-nano-2025-04-14'
]
var knownBase = contains(standardRegions, baseModel)
var baseRegions = knownBase ? standardRegions[baseModel] : []
var standardFits = !knownBase || contains(baseRegions, location)
var developerFits = !knownBase || contains(developerModels, baseModel)
var globalFits = contains(globalRegions, location) && (deploymentSkuName != 'DeveloperTier' || developerFits)
var placementFits = deploymentSkuName == 'Standard' ? standardFits : globalFits
var standardAdvice = 'A Standard deployment of ${baseModel} exists only in ${join(baseRegions, ', ')}, not ${location}: set AZURE_OPENAI_LOCATION to one of them, or openAiDeploymentSkuName to GlobalStandard.'
var globalAdvice = 'A ${deploymentSkuName} deployment of a fine-tuned model needs an account in a global fine-tuning region (${join(globalRegions, ', ')}), not ${location}: set AZURE_OPENAI_LOCATION.'
var developerAdvice = 'DeveloperTier deployments exist only for the gpt-4.1 family, not ${baseModel}: set AZURE_OPENAI_DEPLOYMENT_SKU to GlobalStandard.'
var placementAdvice = deploymentSkuName == 'Standard' ? standardAdvice : (developerFits ? globalAdvice : developerAdvice)
// The account's tag looks its value up under the verdict: a misfit fails the provision, before the account
// exists, with the advice as the missing key.
var placementGate = {
  fits: deploymentSkuName
}
var placementVerdict = placementFits ? 'fits' : placementAdvice

resource account 'Microsoft.CognitiveServices/accounts@2024-10-01' = {
  name: name
  location: location
  tags: union(tags, {
    'bestdev-deployment-type': placementGate[placementVerdict]
  })
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

output name string = account.name
output id string = account.id
output endpoint string = account.properties.endpoint
