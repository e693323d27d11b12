#!/usr/bin/env bash
# Many-seed comparison of our univariate TPE with Optuna 3.1.0's (docs/benchmarks.md, sweeps section).
# Runs both on the same seed range, one after the other (the Optuna side is single-threaded and takes most of
# the time: about 1.5 minutes per 300 Branin seeds, 5 per 300 Hartmann6 seeds), then compares the per-seed
# distributions with compare_seeds.py. Needs Debian's python3-optuna and python3-numpy.
#
#   tests/Sweeps.Benchmarks/many-seeds.sh [FUNCTION] [EPSILON] [TARGET] [FIRST] [LAST] [CAP]
#   tests/Sweeps.Benchmarks/many-seeds.sh Branin 0.1 60 1 300 200          (the defaults)
#   tests/Sweeps.Benchmarks/many-seeds.sh Hartmann6 0.5 65 1 300 200
#
# Per-seed files are left in ${OUT:-/tmp/sweeps-many-seeds}.
set -euo pipefail

function=${1:-Branin}
epsilon=${2:-0.1}
target=${3:-60}
first=${4:-1}
last=${5:-300}
cap=${6:-200}
here=$(cd "$(dirname "$0")" && pwd)
out=${OUT:-/tmp/sweeps-many-seeds}
mkdir -p "$out"
ours="$out/ours-$function-$epsilon-$first-$last.csv"
optuna="$out/optuna-$function-$epsilon-$first-$last.txt"

echo "load before: $(uptime)"
dotnet run -c Release --project "$here" -- --only tpe --function "$function" --thresholds "$epsilon" \
  --cap "$cap" --seeds $((last - first + 1)) --seed-offset $((first - 1)) --sections quality \
  --per-seed-csv "$ours" >"$out/ours.log" 2>&1 || { cat "$out/ours.log" >&2; exit 1; }
/usr/bin/python3 "$here/optuna_reference.py" "$function" "$first" "$last" "$cap" "$epsilon" >"$optuna"
echo "load after: $(uptime)"
/usr/bin/python3 "$here/compare_seeds.py" "$ours" "$optuna" "$target" "$cap"
