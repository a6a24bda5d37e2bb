// The Entra ID app registration people and services sign in to (Microsoft Graph Bicep extension, bicepconfig.json):
// one app role, BestDev.User, to be assigned (assignment required), and the Function App's sign-in callback.
// Only Graph resources live here: checkov's parser predates `extension`. See docs/deploy-azure.md, Sign-in.
extension microsoftGraphV1

@description('Name of the Function App the registration signs people in to.')
param functionAppName string

@description('Host name of the Function App (its sign-in callback lives there).')
param appHostName string

@description('Unique name of the app registration in the tenant (stable across deployments, so it is reused).')
param registrationName string

@description('Principal id assigned the BestDev.User role (the deploying person). Empty: none.')
param userPrincipalId string = ''

var roleValue = 'BestDev.User'
var roleId = guid(registrationName, roleValue)
// Microsoft Graph's own application id and its delegated User.Read scope: what signing a person in asks for.
var graphAppId = '00000003-0000-0000-c000-000000000000'
var userReadScope = 'e1fe6dd8-ba31-4d61-89e7-88639da4683d'

resource registration 'Microsoft.Graph/applications@v1.0' = {
  uniqueName: registrationName
  displayName: 'BestDev (${functionAppName})'
  signInAudience: 'AzureADMyOrg'
  api: {
    // v2 access tokens: audience = this client id, issuer = the tenant's /v2.0 endpoint, as Easy Auth checks below
    requestedAccessTokenVersion: 2
  }
  appRoles: [
    {
      id: roleId
      value: roleValue
      displayName: 'BestDev user'
      description: 'Use BestDev: the page and the API.'
      allowedMemberTypes: [
        'User'
        'Application'
      ]
      isEnabled: true
    }
  ]
  web: {
    redirectUris: [
      'https://${appHostName}/.auth/login/aad/callback'
    ]
    implicitGrantSettings: {
      // Easy Auth signs people in with an ID token only: no client secret exists to leak or rotate
      enableIdTokenIssuance: true
      enableAccessTokenIssuance: false
    }
  }
  requiredResourceAccess: [
    {
      resourceAppId: graphAppId
      resourceAccess: [
        {
          id: userReadScope
          type: 'Scope'
        }
      ]
    }
  ]
}

resource servicePrincipal 'Microsoft.Graph/servicePrincipals@v1.0' = {
  appId: registration.appId
  // Only people, groups and applications assigned BestDev.User get a token for BestDev at all
  appRoleAssignmentRequired: true
}

resource deployerAssignment 'Microsoft.Graph/appRoleAssignedTo@v1.0' = if (!empty(userPrincipalId)) {
  appRoleId: roleId
  principalId: userPrincipalId
  resourceId: servicePrincipal.id
}

output clientId string = registration.appId
output appRole string = roleValue
