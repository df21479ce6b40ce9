#!/usr/bin/env bash
# The evidence experiment of docs/results.md: sensor-pairs MoCo pretraining, then a linear probe
# on 256 labelled patches, against the same probe on a randomly initialised encoder, scored on the
# official test split (sample-averaged Jaccard, multi-label, 10 classes).
#   bash bench/experiments/linear-probe.sh <work-dir>
# Environment knobs (defaults sized for a 2-core CPU machine): SCENES, PATCHES, DEPTH, SIZE,
# EPOCHS, PROBE_EPOCHS, PROBE_LR, KEY_MOMENTUM, QUEUE, SEED, PRETRAIN_RUN (reuse a finished pretraining run),
# CHECKPOINTS (the pretrain checkpoints to probe, comma-separated selectors; default last),
# PRETRAIN_ARGS (more pretrain options, e.g. --train-input-blocks). The
# research's key momentum 0.999 moves the key encoder too slowly for a run of a few hundred steps;
# 0.99 (also used in the MoCo paper) does not. The 1x1 input blocks stay frozen, as in the research.
set -euo pipefail
work=${1:?usage: linear-probe.sh <work-dir>}
cli="node $(dirname "$0")/../../bin/sen12ms-studio.js"
SCENES=${SCENES:-64} PATCHES=${PATCHES:-10} DEPTH=${DEPTH:-10} SIZE=${SIZE:-32}
EPOCHS=${EPOCHS:-30} PROBE_EPOCHS=${PROBE_EPOCHS:-40} KEY_MOMENTUM=${KEY_MOMENTUM:-0.99} QUEUE=${QUEUE:-512} PROBE_LR=${PROBE_LR:-1e-3} SEED=${SEED:-7}
CHECKPOINTS=${CHECKPOINTS:-last}
mkdir -p "$work"
[ -d "$work/data" ] || $cli synth "$work/data" --scenes "$SCENES" --patches-per-scene "$PATCHES" --seed "$SEED"
$cli index "$work/data" --db "$work/catalog.sqlite"

if [ -n "${PRETRAIN_RUN:-}" ]; then
  run=$PRETRAIN_RUN # reuse a finished pretraining run
else
  pretrain=$($cli pretrain "$work/catalog.sqlite" --strategy sensor-pairs --depth "$DEPTH" --size "$SIZE" \
    --epochs "$EPOCHS" --batch-size 32 --queue-size "$QUEUE" --key-momentum "$KEY_MOMENTUM" --runs "$work/runs" --seed "$SEED" --checkpoint-every 1000 ${PRETRAIN_ARGS:-})
  echo "pretrain: $pretrain"
  run=$(node -e 'console.log(JSON.parse(process.argv[1]).run)' "$pretrain")
fi

probe() { # variant, extra args...
  local out
  out=$($cli finetune "$work/catalog.sqlite" --input s2 --variant "$1" "${@:2}" --freeze linear --depth "$DEPTH" \
    --size "$SIZE" --epochs "$PROBE_EPOCHS" --batch-size 32 --lr "$PROBE_LR" --subset random:256 --runs "$work/runs" --seed "$SEED")
  node -e 'console.log(JSON.parse(process.argv[1]).run)' "$out"
}
for checkpoint in ${CHECKPOINTS//,/ }; do
  moco=$(probe moco-1x1 --pretrained "$run" --checkpoint "$checkpoint")
  echo "sensor-pairs probe ($checkpoint checkpoint): $($cli evaluate "$moco" --catalog "$work/catalog.sqlite" --split test)"
done
random=$(probe supervised-1x1)
echo "random-encoder probe: $($cli evaluate "$random" --catalog "$work/catalog.sqlite" --split test)"
