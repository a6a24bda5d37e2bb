// A monthly cost budget on the resource group, with mails when the actual cost passes 80% and when the forecast
// passes 100% of it. A budget alerts; it stops nothing (`bestdev finetune undeploy` does: a fine-tuned
// deployment is billed by the hour whether it is called or not).

@description('Name of the budget.')
param name string

@description('Monthly amount, in the billing currency.')
@minValue(1)
param amount int

@description('Who gets the alerts besides the resource group\'s owners and contributors. Empty: those roles only.')
param contactEmails array = []

@description('First day of the budget\'s first month (yyyy-MM-01); the same on every provision.')
param startDate string

resource budget 'Microsoft.Consumption/budgets@2023-05-01' = {
  name: name
  properties: {
    category: 'Cost'
    amount: amount
    timeGrain: 'Monthly'
    timePeriod: {
      startDate: startDate
    }
    notifications: {
      actualOver80Percent: {
        enabled: true
        operator: 'GreaterThan'
        threshold: 80
        thresholdType: 'Actual'
        contactEmails: contactEmails
        contactRoles: [
          'Owner'
          'Contributor'
        ]
      }
      forecastOver100Percent: {
        enabled: true
        operator: 'GreaterThan'
        threshold: 100
        thresholdType: 'Forecasted'
        contactEmails: contactEmails
        contactRoles: [
          'Owner'
          'Contributor'
        ]
      }
    }
  }
}

output name string = budget.name
