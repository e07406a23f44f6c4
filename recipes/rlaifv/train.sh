#!/usr/bin/env bash
# One RLAIF-V round with the embedded trainer (`rlaifv dpo`), behind the common recipe interface
# (recipes/README.md): the path the whole loop is tested on, without a GPU.
#
#   recipes/rlaifv/train.sh --dataset DIR --base-model DIR --output-dir DIR --round N --beta X --lr X \
#       [--ref-logps FILE] [--dry-run] [-- ANY rlaifv dpo FLAGS]
#
# Maps to `rlaifv dpo --pairs DATASET --base BASE --out OUTPUT --beta X --lr X [--ref-logps FILE] ...`;
# everything after `--` is passed to `rlaifv dpo` unchanged (e.g. --epochs 1 --validate none). A
# --ref-logps file that does not exist is left out (rlaifv dpo then computes the reference itself), the
# same fallback the TRL recipe takes. --round is accepted for the common interface; rlaifv dpo seeds by
# --seed. --dry-run prints the command, one argument a line, and runs nothing.
set -euo pipefail

usage() { sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }

dataset='' base='' out='' round='' beta='' lr='' ref='' dry=0
extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --dataset) dataset="${2?--dataset needs a value}"; shift 2 ;;
    --base-model) base="${2?--base-model needs a value}"; shift 2 ;;
    --output-dir) out="${2?--output-dir needs a value}"; shift 2 ;;
    --round) round="${2?--round needs a value}"; shift 2 ;;
    --beta) beta="${2?--beta needs a value}"; shift 2 ;;
    --lr) lr="${2?--lr needs a value}"; shift 2 ;;
    --ref-logps) ref="${2?--ref-logps needs a value}"; shift 2 ;;
    --dry-run) dry=1; shift ;;
    --) shift; extra=("$@"); break ;;
    -h|--help) usage ;;
    *) echo "recipes/rlaifv/train.sh: unknown argument '$1'; rlaifv dpo flags go after --" >&2; exit 2 ;;
  esac
done
for pair in "dataset:$dataset" "base-model:$base" "output-dir:$out"; do
  if [ -z "${pair#*:}" ]; then echo "recipes/rlaifv/train.sh: --${pair%%:*} is required" >&2; exit 2; fi
done

cli="$(cd "$(dirname "$0")/../../bin" && pwd)/rlaifv.js"
cmd=(node "$cli" dpo --pairs "$dataset" --base "$base" --out "$out")
[ -n "$beta" ] && cmd+=(--beta "$beta")
[ -n "$lr" ] && cmd+=(--lr "$lr")
if [ -n "$ref" ]; then
  if [ -f "$ref" ]; then cmd+=(--ref-logps "$ref")
  else echo "recipes/rlaifv/train.sh: $ref does not exist: rlaifv dpo computes the reference log-probs itself" >&2; fi
fi
cmd+=("${extra[@]}")

if [ "$dry" = 1 ]; then printf '%s\n' "${cmd[@]}"; exit 0; fi
echo "recipes/rlaifv/train.sh: round ${round:-?}: ${cmd[*]}" >&2
exec "${cmd[@]}"
