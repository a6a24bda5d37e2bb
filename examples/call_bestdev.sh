#!/bin/sh
# Call BestDev in Azure with curl, as a service principal signed in to the Azure CLI (see docs/deploy-azure.md):
#   az login --service-principal --username "$CALLER_CLIENT_ID" --tenant "$AZURE_TENANT_ID" --password "$SECRET"
#   sh examples/call_bestdev.sh https://func-api-abc123.azurewebsites.net "$BESTDEV_CLIENT_ID" "A React Native app"
set -eu
url=$1 client_id=$2 description=$3
token=$(az account get-access-token --resource "$client_id" --query accessToken --output tsv)
body=$(python3 -c 'import json, sys; print(json.dumps({"description": sys.argv[1], "top_k": 3}))' "$description")
curl --fail-with-body --silent --show-error \
  --header "Authorization: Bearer $token" \
  --header "Content-Type: application/json" \
  --data "$body" \
  "${url%/}/api/recommend"
