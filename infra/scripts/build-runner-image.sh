#!/bin/sh
# Builds the GPU runner image in Azure Container Registry (no local Docker or GPU needed) and points the runner
# job at it. azd runs it after provisioning with the template's outputs in the environment; run it by hand with
# the same variables after `az deployment group create`. SKIP_RUNNER_IMAGE=true skips it (e.g. infra-only changes).
set -eu

if [ "${SKIP_RUNNER_IMAGE:-false}" = "true" ]; then
  echo "SKIP_RUNNER_IMAGE=true: leaving the runner job's image as it is."
  exit 0
fi

: "${AZURE_CONTAINER_REGISTRY_NAME:?set by the deployment outputs}"
: "${AZURE_CONTAINER_REGISTRY_ENDPOINT:?set by the deployment outputs}"
: "${AZURE_RESOURCE_GROUP:?set by azd or by hand}"
: "${RUNNER_JOB_NAME:?set by the deployment outputs}"

tag="bert-runner:$(date -u +%Y%m%d%H%M%S)"
image="$AZURE_CONTAINER_REGISTRY_ENDPOINT/$tag"

# The build context is the repository root (see .dockerignore); the CUDA libtorch restore makes this take a while.
az acr build --registry "$AZURE_CONTAINER_REGISTRY_NAME" --image "$tag" --file GpuRunner/Dockerfile .
az containerapp job update --name "$RUNNER_JOB_NAME" --resource-group "$AZURE_RESOURCE_GROUP" --image "$image" --output none

# Later `azd provision` runs pass the image back in (main.parameters.json: runnerImage = ${RUNNER_IMAGE}).
if command -v azd >/dev/null 2>&1; then azd env set RUNNER_IMAGE "$image"; fi
echo "Runner job $RUNNER_JOB_NAME now runs $image"
