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

@description('Deployment type of the fine-tuned model.')
@allowed([
  'Standard'
  'GlobalStandard'
  'DeveloperTier'
])
param deploymentSkuName string = 'Standard'

@description('Capacity of the deployment in units of 1,000 tokens per minute.')
@minValue(1)
param deploymentCapacity int = 1

resource account 'Microsoft.CognitiveServices/accounts@2024-10-01' = {
  name: name
  location: location
  tags: tags
  kind: 'OpenAI'
  sku: {
    name: 'S0'
  }
  identity: {
    type: 'SystemAssigned'
  }
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
    name: deploymentSkuName
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
