// What cannot be made again outlives `azd down`: delete locks on the Azure OpenAI account (its fine-tuned models
// and training files) and on the storage account (the only copy of people's feedback). `azd down` then stops at
// the locks (ScopeLocked) instead of deleting them; docs/deploy-azure.md says how to stop paying without losing
// them, and how to remove the locks when the data should go too.

@description('Name of the Azure OpenAI account.')
param openAiAccountName string

@description('Name of the storage account holding the feedback table.')
param storageAccountName string

resource account 'Microsoft.CognitiveServices/accounts@2024-10-01' existing = {
  name: openAiAccountName
}

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource openAiLock 'Microsoft.Authorization/locks@2020-05-01' = {
  name: 'keep-fine-tuned-models'
  scope: account
  properties: {
    level: 'CanNotDelete'
    notes: 'Holds the fine-tuned models and training files: remove this lock only to delete them for good.'
  }
}

resource storageLock 'Microsoft.Authorization/locks@2020-05-01' = {
  name: 'keep-feedback'
  scope: storage
  properties: {
    level: 'CanNotDelete'
    notes: 'Holds the only copy of the feedback people gave: export it (bestdev feedback export) before removing.'
  }
}
