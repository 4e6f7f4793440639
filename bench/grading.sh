#!/usr/bin/env bash
# Grading throughput: grades N copies (default 40) of the correct hw01 submission twice, with the sandbox and the
# canary (as `grade` runs by default) and without them (--no-sandbox --no-canary), and prints seconds per submission.
# Usage: bench/grading.sh [N]     (CONFIGURATION=Debug to measure the Debug build; PARALLEL=N for --parallel)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-40}
configuration=${CONFIGURATION:-Release}
parallel=${PARALLEL:-$(nproc)}
dotnet build src/Workbook.Cli -c "$configuration" -v q -nologo >/dev/null
workbook="src/Workbook.Cli/bin/$configuration/net10.0/workbook.dll"
source=notebooks/homework/hw01_entropy-and-log-softmax.ipynb
solution=tests/Workbook.Host.Tests/Grading/Fixtures/hw01/solution.ipynb

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/submissions"
for i in $(seq -w 1 "$n"); do cp "$solution" "$work/submissions/student$i.ipynb"; done

echo "grading $n copies of the hw01 solution, --parallel $parallel, $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
run() {
    local label=$1; shift
    local start end
    start=$(date +%s.%N)
    dotnet "$workbook" grade --assignment "$source" "$work"/submissions/*.ipynb --out "$work/out-$label" \
        --parallel "$parallel" "$@" >"$work/$label.log" 2>&1 || { cat "$work/$label.log"; exit 1; }
    end=$(date +%s.%N)
    local full
    full=$(grep -c '^student[0-9]*,10,10,100$' "$work/out-$label/totals.csv" || true)
    [ "$full" -eq "$n" ] || { echo "$label: only $full of $n copies got 10/10"; exit 1; }
    awk -v s="$start" -v e="$end" -v n="$n" -v l="$label" \
        'BEGIN { printf "%-30s %6.1f s in all, %5.2f s per submission\n", l, e - s, (e - s) / n }'
}
run "sandbox and canary"
run "no sandbox, no canary" --no-sandbox --no-canary
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
