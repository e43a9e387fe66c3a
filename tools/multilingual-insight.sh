#!/usr/bin/env bash
# Multilingual insight end to end on the local stack (issue #18's demonstration): a token-classification job trained on
# English and some Spanish and evaluated on three named validation sets (English; German; French and Spanish, untagged
# so the runner detects their languages), on a small randomly initialised BERT with mBERT's real vocabulary (no model
# hub here, so there is no pretrained mBERT and no real zero-shot transfer: the figures show the mechanics). Prints the
# dataset's pre-flight report, the job's stored report, and every set's metrics overall and per language.
#   tools/multilingual-insight.sh          (about 2-4 minutes on 2 cores; everything it starts is stopped on exit)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
OUT="$ROOT/.run/multilingual"
RUNNER=(dotnet "$ROOT/GpuRunner/bin/Release/net10.0/GpuRunner.dll")
BASE_MODEL=mbert-vocab-mini
# free_port, wait_port, json, job_final_status
source tools/lib/local-stack.sh
rm -rf "$OUT" && mkdir -p "$OUT"
API_PORT=$(free_port) BLOB_PORT=$(free_port) QUEUE_PORT=$(free_port) TABLE_PORT=$(free_port)
export API_PORT BLOB_PORT QUEUE_PORT TABLE_PORT SERVE_DATA="$OUT/serve"

setsid tools/serve.sh >"$OUT/serve.log" 2>&1 &
SERVE=$!
trap 'kill -TERM $SERVE 2>/dev/null; wait $SERVE 2>/dev/null || true' EXIT
for _ in $(seq 1 600); do grep -q "The platform is up" "$OUT/serve.log" && break; kill -0 $SERVE || { cat "$OUT/serve.log"; exit 1; }; sleep 1; done
URL="http://127.0.0.1:$API_PORT/api"
say() { printf '\n==> %s\n' "$*"; }

say "Base model $BASE_MODEL: a random 4-layer BERT (mini) with bert-base-multilingual-cased's vocabulary"
"${RUNNER[@]}" make-base-model --vocab tests/fixtures/vocab/bert-base-multilingual-cased/vocab.txt --size mini --seed 7 --output "$OUT/base" >/dev/null
tools/serve.sh seed-base-model --from "$OUT/base" --name "$BASE_MODEL" >/dev/null

generate() { node tools/lib/multilingual-ner.js "$@"; }
# Training: English, some Spanish, and a few training sentences repeated in the English validation set (leakage).
{ generate en 240 1; generate es 60 2; generate en 12 3; } >"$OUT/train.jsonl"
generate en 60 3 >"$OUT/val-en.jsonl"
generate de 60 4 >"$OUT/val-de.jsonl"
generate fr,es 80 5 --untagged >"$OUT/val-fr-es.jsonl"
upload() { # file name -> dataset id
  curl -sS --fail-with-body -X POST --data-binary "@$1" -H "Content-Type: application/x-ndjson" \
    "$URL/datasets?name=$2&format=jsonl&task=token_classification" | json 'j.dataset.id'
}
TRAIN=$(upload "$OUT/train.jsonl" ner-train); EN=$(upload "$OUT/val-en.jsonl" ner-en)
DE=$(upload "$OUT/val-de.jsonl" ner-de); FRES=$(upload "$OUT/val-fr-es.jsonl" ner-fr-es)

print_report() {
  json '[
    `task ${j.task}, base model ${j.baseModel}, maxSequenceLength ${j.maxSequenceLength}`,
    `training: ${j.training.examples} sentences, tokens p50/p95/max ${j.training.tokensPerExample.p50}/${j.training.tokensPerExample.p95}/${j.training.tokensPerExample.max}, [UNK] ${(100*j.training.unknownRate).toFixed(2)}%, languages ${JSON.stringify(j.training.languages)} (${j.training.languageSource})`,
    `entity mentions: ${JSON.stringify(j.training.entities)}; tags: ${JSON.stringify(j.training.labels)}`,
    ...(j.validationSets || (j.validation ? [{ name: "validation", profile: j.validation, leakage: j.leakage }] : [])).map(s =>
      `set ${s.name}: ${s.profile.examples} sentences, languages ${JSON.stringify(s.profile.languages)} (${s.profile.languageSource}), leakage ${s.leakage.exact} exact / ${s.leakage.near} near`),
    `estimate: ${j.estimate.steps} steps, ${j.estimate.trainingSeconds ?? j.estimate.seconds} s` + (j.estimate.cost != null ? `, ${j.estimate.currency} ${j.estimate.cost}` : ""),
    "warnings:", ...j.warnings.map(w => "  - " + w),
  ].join("\n")'
}

say "Pre-flight report of the training set against $BASE_MODEL, before any job (GET /api/datasets/{id}/report)"
curl -sS --fail-with-body "$URL/datasets/$TRAIN/report?baseModel=$BASE_MODEL&maxSequenceLength=12&batchSize=16&epochs=6&validationDataset=$EN" | print_report

say "Submitting the job: three validation sets, selecting on 'en'"
JOB=$(curl -sS --fail-with-body -X POST -H "Content-Type: application/json" "$URL/jobs" -d @- <<JSON | json 'j.id'
{ "task": "token_classification", "baseModel": "$BASE_MODEL", "trainingDataset": "$TRAIN",
  "validationSets": [ { "name": "en", "dataset": "$EN" }, { "name": "de", "dataset": "$DE" }, { "name": "fr-es", "dataset": "$FRES" } ],
  "selectOn": "en",
  "hyperparameters": { "epochs": 6, "batchSize": 16, "learningRate": 0.001, "maxSequenceLength": 12, "seed": 11 } }
JSON
)
echo "job $JOB"
status=$(job_final_status "$URL" "$JOB")
say "Job $JOB $status"
[ "$status" = succeeded ] || { curl -sS "$URL/jobs/$JOB" | json 'j.error'; exit 1; }

say "The report stored with the job (its validation sets)"
curl -sS --fail-with-body "$URL/jobs/$JOB" | json 'JSON.stringify(j.preflight)' | print_report

say "Per set and per language: before fine-tuning -> best checkpoint (the job's metrics, as metrics.json and the model card have them)"
# One row per set, then one per language in it; baseline_ figures are the untrained model's on the same examples.
TABLE=$(cat <<'JS'
(() => {
  const m = j.metrics, f = v => v == null ? "" : v.toFixed(3);
  const rows = ["| set | language | n | entity F1 before | after | token accuracy before | after |", "|---|---|---|---|---|---|---|"];
  for (const set of j.spec.validationSets.map(s => s.name)) {
    rows.push(`| ${set}${set === j.spec.selectOn ? " (selects)" : ""} | all | | ${f(m["baseline_" + set + "/f1"])} | ${f(m[set + "/f1"])} | ${f(m["baseline_" + set + "/accuracy"])} | ${f(m[set + "/accuracy"])} |`);
    const languages = [...new Set(Object.keys(m).filter(k => k.startsWith(set + "/lang/")).map(k => k.split("/")[2]))].sort();
    for (const l of languages) {
      const p = set + "/lang/" + l + "/";
      rows.push(`| | ${l} | ${m[p + "count"]} | ${f(m["baseline_" + p + "f1"])} | ${f(m[p + "f1"])} | ${f(m["baseline_" + p + "accuracy"])} | ${f(m[p + "accuracy"])} |`);
    }
  }
  return rows.join("\n");
})()
JS
)
curl -sS --fail-with-body "$URL/jobs/$JOB" | json "$TABLE"
