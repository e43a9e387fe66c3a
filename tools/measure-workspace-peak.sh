#!/usr/bin/env bash
# Disk harness (not a test): runs one fine-tuning job of all-MiniLM-L6-v2 (imported offline) on
# samples/reviews-train.csv with a checkpoint every EVAL_STEPS steps through a real runner, samples the size of the
# runner's work directory every 0.1 s, and prints the peak with the files present at that moment, and whether the job's
# folder is gone afterwards. Sampling can miss the last milliseconds of a checkpoint write; the files listed say which
# copies were on disk at the sampled peak.
# Usage: tools/measure-workspace-peak.sh   (environment: EPOCHS=1 EVAL_STEPS=5)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
EPOCHS=${EPOCHS:-1}; EVAL_STEPS=${EVAL_STEPS:-5}
WORK=$(mktemp -d)
pids=()
# free_port, wait_port, json, start_azurite, stop_started, seed_minilm, upload_csv, job_final_status
source tools/lib/local-stack.sh
cleanup() { stop_started; rm -rf "$WORK"; }
trap cleanup EXIT INT TERM

[ -x node_modules/.bin/azurite ] || npm ci --no-audit --no-fund --loglevel=error
dotnet build GpuRunner/GpuRunner.csproj -c Release -nologo -v quiet -clp:ErrorsOnly >/dev/null
dotnet build Functions/LocalHost/LocalHost.csproj -c Release -nologo -v quiet -clp:ErrorsOnly >/dev/null
RUNNER=(dotnet "$ROOT/GpuRunner/bin/Release/net10.0/GpuRunner.dll")

start_azurite "$WORK/azurite" "$WORK/azurite.log"
API=$(free_port)
export JobQueue__Transport=StorageQueue JobQueue__Name=jobs Api__DefaultOwner=local Logging__LogLevel__Default=Warning
export Runner__WorkDirectory="$WORK/runner" Runner__Device=cpu
URL="http://127.0.0.1:$API/api"
(cd Functions/LocalHost/bin/Release/net10.0 && exec dotnet BertPlatform.Functions.LocalHost.dll --urls "http://127.0.0.1:$API") >"$WORK/functions.log" 2>&1 &
pids+=($!)
OMP_WAIT_POLICY=PASSIVE nice -n 10 "${RUNNER[@]}" worker --poll-interval 1 >"$WORK/runner.log" 2>&1 &
pids+=($!)
wait_port "$API" 120

# The sampler: the largest total seen, and the files present then.
mkdir -p "$WORK/runner"
(max=0; while true; do
   b=$(du -sb "$WORK/runner" 2>/dev/null | cut -f1); b=${b:-0}
   if [ "$b" -gt "$max" ]; then max=$b; { echo "$max"; (cd "$WORK/runner" && find . -type f -printf '%s %p\n' 2>/dev/null | sort -k2); } >"$WORK/peak.tmp"; mv "$WORK/peak.tmp" "$WORK/peak"; fi
   sleep 0.1
 done) &
pids+=($!)

seed_minilm "$WORK/base" minilm >/dev/null
DATASET=$(upload_csv "$URL" samples/reviews-train.csv reviews | json 'j.dataset.id')
JOB=$(curl -sS --fail-with-body -X POST -H "Content-Type: application/json" "$URL/jobs" \
  -d "{\"baseModel\":\"minilm\",\"trainingDataset\":\"$DATASET\",\"hyperparameters\":{\"epochs\":$EPOCHS,\"batchSize\":16,\"learningRate\":0.0001,\"maxSequenceLength\":48,\"evalSteps\":$EVAL_STEPS,\"seed\":1}}" | json 'j.id')
echo "job $JOB: fine-tuning all-MiniLM-L6-v2, a checkpoint every $EVAL_STEPS steps ..."
status=$(job_final_status "$URL" "$JOB")
[ "$status" = succeeded ] || { echo "job $status"; tail -20 "$WORK/runner.log"; exit 1; }
sleep 1
checkpoints=$(curl -sS "$URL/jobs/$JOB/events?after=0" | json 'j.filter(e => e.kind === "checkpoint").length')
lscpu | grep "Model name"
echo "checkpoints uploaded: $checkpoints"
echo "peak of the runner's work directory: $(head -1 "$WORK/peak") bytes; files at that moment:"
tail -n +2 "$WORK/peak" | sed "s|./$JOB/|  |"
if [ -d "$WORK/runner/$JOB" ]; then echo "the job's folder is still there after the job"; exit 1; else echo "the job's folder is gone after the job"; fi
