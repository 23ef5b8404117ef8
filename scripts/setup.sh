#!/usr/bin/env bash
# Set up hpobench on a fresh machine: a virtual environment in .venv with the
# project installed in editable mode.
#   bash scripts/setup.sh          # what `python -m hpobench` needs, YAHPO surrogates included (extra yahpo)
#   bash scripts/setup.sh --test   # plus test extras and system packages the tests use
#                                  # (PostgreSQL server binaries, Chromium), via apt when absent
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
extras="[yahpo]"  # onnxruntime: the paper's default experiments run on LCBench
if [[ "${1:-}" == "--test" ]]; then
  extras="[test]"  # includes yahpo
  need=()
  command -v pg_ctl >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || need+=(postgresql)
  command -v chromium >/dev/null 2>&1 || need+=(chromium)
  if (( ${#need[@]} )); then
    if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
      echo "setup: installing ${need[*]} with apt-get"
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
    else
      echo "setup: ${need[*]} missing and apt-get unavailable (not root): the tests that need them will skip" >&2
    fi
  fi
fi
[[ -x .venv/bin/python ]] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e ".${extras}"
