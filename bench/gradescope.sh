#!/usr/bin/env bash
# The Gradescope autograder under Gradescope's default limits (768 MB of memory, half a CPU, no network): builds the
# hw01 autograder zip, unpacks it into an /autograder layout under a temporary root, runs setup.sh once, then runs
# run_autograder on the solution R times inside a cgroup (v1) with memory.limit_in_bytes = 768 MB and a CPU quota of
# 50 ms per 100 ms, and prints each run's wall time and the cgroup's peak memory (processes and page cache).
# Needs root (cgroups, unshare -n) and a built CLI: dotnet build src/Workbook.Cli.
#   bench/gradescope.sh [R]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
cli=src/Workbook.Cli/bin/Debug/net10.0/workbook.dll
work=$(mktemp -d /tmp/workbook-gradescope-bench-XXXXXX)
chmod 0755 "$work"
trap 'rm -rf "$work"; rmdir /sys/fs/cgroup/memory/workbook-gs /sys/fs/cgroup/cpu/workbook-gs 2>/dev/null || true' EXIT

dotnet "$cli" assign notebooks/homework/hw01_entropy-and-log-softmax.ipynb --out "$work/handout" --gradescope >/dev/null
zip=$(ls "$work"/handout/gradescope/*-autograder.zip)
root="$work/autograder"
mkdir -p "$root/source" && chmod 0755 "$root"
(cd "$root/source" && unzip -q "$zip")
bash "$root/source/setup.sh" >/dev/null
cp "$root/source/run_autograder" "$root/run_autograder"
echo "zip: $(du -m "$zip" | cut -f1) MiB"

mkdir -p /sys/fs/cgroup/memory/workbook-gs /sys/fs/cgroup/cpu/workbook-gs
echo $((768 * 1024 * 1024)) > /sys/fs/cgroup/memory/workbook-gs/memory.limit_in_bytes
echo 100000 > /sys/fs/cgroup/cpu/workbook-gs/cpu.cfs_period_us
echo 50000 > /sys/fs/cgroup/cpu/workbook-gs/cpu.cfs_quota_us
for i in $(seq "$runs"); do
    rm -rf "$root/submission" "$root/results"; mkdir -p "$root/submission"
    cp tests/Workbook.Host.Tests/Grading/Fixtures/hw01/solution.ipynb "$root/submission/hw01_entropy-and-log-softmax.ipynb"
    echo 0 > /sys/fs/cgroup/memory/workbook-gs/memory.max_usage_in_bytes
    start=$(date +%s.%N)
    sh -c 'echo $$ > /sys/fs/cgroup/memory/workbook-gs/tasks; echo $$ > /sys/fs/cgroup/cpu/workbook-gs/tasks;
           exec env AUTOGRADER_ROOT="$1" unshare -n "$1/run_autograder"' sh "$root" >/dev/null
    end=$(date +%s.%N)
    peak=$(cat /sys/fs/cgroup/memory/workbook-gs/memory.max_usage_in_bytes)
    read -r score mode < <(python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); n=[t for t in r["tests"] if t["visibility"]=="hidden"][0]["output"]; print(r["score"], n.split(":")[0].split(" (")[0])' "$root/results/results.json")
    printf 'run %d: %.1f s, peak %d MiB, score %s; %s\n' "$i" "$(echo "$end - $start" | bc)" $((peak / 1024 / 1024)) "$score" "$mode"
done
