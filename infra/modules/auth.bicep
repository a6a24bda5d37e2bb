// App Service authentication (Easy Auth, authsettingsV2) in front of the Function App: people sign in with Entra ID
// for the app registration (entra.bicep, or an existing one), services present its tokens, from a client
// application the policy allows. See docs/deploy-azure.md, Sign-in.

@description('Name of the Function App to protect.')
param functionAppName string

@description('Host name of the Function App (where people sign in).')
param appHostName string

@description('Client id of the app registration people and services sign in to.')
param clientId string

@description('Client ids of the applications allowed to call the API with their own tokens (defaultAuthorizationPolicy); the registration itself (the page\'s sign-in) is always allowed.')
param allowedClientApplications array = []

resource app 'Microsoft.Web/sites@2024-04-01' existing = {
  name: functionAppName
}

// A browser without a session that opens the page, its assets or /api/docs is sent to sign in (RedirectToLoginPage).
// The API's paths are excluded from that redirect: sessions and tokens are still checked there, and the app answers
// a call with neither with 401 (its role check), never a redirect a program cannot follow. Kept equal to the app's
// API routes by tests/infra/test_bicep_sign_in.py; docs/deploy-azure.md, "People and programs".
var apiPaths = [
  '/api/feedback'
  '/api/health'
  '/api/me'
  '/api/openapi.json'
  '/api/pool'
  '/api/recommend'
  '/api/team'
]

resource authSettings 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: app
  // checkov:skip=CKV_AZURE_13: false positive: reads properties.enabled of the legacy authsettings; authsettingsV2 enables via platform.enabled
  // checkov:skip=CKV_AZURE_63: false positive: a logging check for the 'web' site config, not authsettingsV2
  // checkov:skip=CKV_AZURE_65: false positive: a logging check for the 'web' site config, not authsettingsV2
  // checkov:skip=CKV_AZURE_66: false positive: a logging check for the 'web' site config, not authsettingsV2
  name: 'authsettingsV2'
  // checkov:skip=CKV_AZURE_80: false positive: a .NET check for the 'web' site config; the app is Python
  // checkov:skip=CKV_AZURE_88: false positive: an Azure Files check for the 'web' site config, not authsettingsV2
  // checkov:skip=CKV_AZURE_222: false positive: public network access is a site property, set on the app itself
  properties: {
    // checkov:skip=CKV_AZURE_70: checkov reads httpsOnly of the site here; httpSettings.requireHttps is set below
    platform: {
      enabled: true
    }
    httpSettings: {
      requireHttps: true
    }
    globalValidation: {
      requireAuthentication: true
      unauthenticatedClientAction: 'RedirectToLoginPage'
      redirectToProvider: 'azureactivedirectory'
      excludedPaths: apiPaths
    }
    identityProviders: {
      azureActiveDirectory: {
        enabled: true
        registration: {
          clientId: clientId
          openIdIssuer: '${environment().authentication.loginEndpoint}${tenant().tenantId}/v2.0'
        }
        validation: {
          allowedAudiences: [
            clientId
            'api://${clientId}'
          ]
          defaultAuthorizationPolicy: {
            allowedApplications: union([clientId], allowedClientApplications)
          }
        }
      }
    }
    login: {
      tokenStore: {
        enabled: false
      }
    }
  }
}

output signInUrl string = 'https://${appHostName}/.auth/login/aad?post_login_redirect_uri=/'
