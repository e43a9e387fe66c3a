#!/bin/sh
# Builds the GPU runner image in Azure Container Registry (no local Docker or GPU needed) and deploys it by
# redeploying infra/main.bicep with runnerImage set: the same template, API version and scale-rule identity as every
# provision (never the CLI's job update command, which rewrites the job with its own API version). The first
# run creates the runner job; before it, no job exists and no GPU execution can start.
#
# azd runs it after provisioning, with the template's outputs and the azd environment in the environment; run it by
# hand with the same variables after `az deployment group create`. SKIP_RUNNER_IMAGE=true skips it.
set -eu

if [ "${SKIP_RUNNER_IMAGE:-false}" = "true" ]; then
  echo "SKIP_RUNNER_IMAGE=true: leaving the runner job as it is."
  exit 0
fi

: "${AZURE_ENV_NAME:?set by azd, or by hand: the environmentName of the deployment}"
: "${AZURE_LOCATION:?set by the deployment outputs}"
: "${AZURE_RESOURCE_GROUP:?set by the deployment outputs}"
: "${AZURE_CONTAINER_REGISTRY_NAME:?set by the deployment outputs}"
: "${AZURE_CONTAINER_REGISTRY_ENDPOINT:?set by the deployment outputs}"

# The tag names the image's sources, so an unchanged runner is neither rebuilt nor redeployed.
sources="GpuRunner Shared build global.json .editorconfig .dockerignore Directory.Build.props Directory.Build.targets Directory.Packages.props"
# shellcheck disable=SC2086 # $sources is a list of paths without spaces
digest=$(find $sources -type f ! -path '*/bin/*' ! -path '*/obj/*' | LC_ALL=C sort | xargs sha256sum | sha256sum | cut -c1-16)
tag="src-$digest"
image="$AZURE_CONTAINER_REGISTRY_ENDPOINT/bert-runner:$tag"

if [ "${RUNNER_IMAGE:-}" = "$image" ]; then
  echo "The runner job already runs $image."
  exit 0
fi

if az acr repository show-tags --name "$AZURE_CONTAINER_REGISTRY_NAME" --repository bert-runner --output tsv 2>/dev/null | grep -qx "$tag"; then
  echo "$image is already in the registry."
else
  # The first build restores the CUDA build of libtorch (several GB): allow two hours (the default is one).
  az acr build --registry "$AZURE_CONTAINER_REGISTRY_NAME" --image "bert-runner:$tag" --file GpuRunner/Dockerfile \
    --timeout 7200 .
fi

# Exactly the parameters infra/main.parameters.json passes, from the same variables and defaults
# (tests/Infra.Tests/AzdTests checks the two agree), plus the new image.
az deployment group create --resource-group "$AZURE_RESOURCE_GROUP" --name "runner-$tag" \
  --template-file infra/main.bicep --output none \
  --parameters \
    environmentName="${AZURE_ENV_NAME}" \
    location="${AZURE_LOCATION}" \
    gpuWorkloadProfile="${GPU_WORKLOAD_PROFILE:-Consumption-GPU-NC8as-T4}" \
    runnerImage="$image" \
    maxRunners="${MAX_RUNNERS:-1}" \
    principalId="${AZURE_PRINCIPAL_ID:-}" \
    principalType="${AZURE_PRINCIPAL_TYPE:-User}" \
    enableEntraSignIn="${ENABLE_ENTRA_SIGN_IN:-false}" \
    entraClientId="${ENTRA_CLIENT_ID:-}" \
    apiKeyOwners="${API_KEY_OWNERS:-}"

# Later `azd provision` runs pass the image back in (main.parameters.json: runnerImage = ${RUNNER_IMAGE}).
if command -v azd >/dev/null 2>&1; then azd env set RUNNER_IMAGE "$image"; fi
echo "The runner job now runs $image."
