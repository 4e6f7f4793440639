#!/usr/bin/env bash
# Kernel latency, side by side in one run: the workbook kernel (this clone's Debug build), its ReadyToRun build when
# there is one, ipykernel, and, when STOCK_KERNEL_DIR names a folder holding the stock .NET Interactive kernelspec
# (.net-csharp), that kernel too.
#
# usage: bench/kernel-latency/run.sh [--repeat N]
#   WORKBOOK_DLL       the workbook.dll measured as workbook-csharp (default: this clone's Debug build)
#   WORKBOOK_R2R_DIR   a folder holding a published (ReadyToRun) workbook.dll, measured as workbook-csharp-r2r
#                      (default: artifacts/kernel, where scripts/setup.sh publishes it, when it is there;
#                      an empty value leaves it out)
#   STOCK_KERNEL_DIR   a folder with kernels/.net-csharp/kernel.json (see bench/README.md, "Kernel latency")
# Needs Debian's python3-jupyter-client and python3-ipykernel; prints the load average before and after.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
dll="${WORKBOOK_DLL:-$root/src/Workbook.Cli/bin/Debug/net10.0/workbook.dll}"
if [[ ! -f "$dll" ]]; then
  echo "no $dll: build first (dotnet build Workbook.sln)" >&2
  exit 2
fi
prefix="$(mktemp -d)"
trap 'rm -rf "$prefix"' EXIT
dotnet "$dll" kernel install --prefix "$prefix" >/dev/null
path="$prefix/share/jupyter"
kernels=(workbook-csharp)
r2r="${WORKBOOK_R2R_DIR-$root/artifacts/kernel}"
if [[ -n "$r2r" && -f "$r2r/workbook.dll" ]]; then
  dotnet "$r2r/workbook.dll" kernel install --prefix "$prefix" --name workbook-csharp-r2r >/dev/null
  kernels+=(workbook-csharp-r2r)
fi
kernels+=(python3)
if [[ -n "${STOCK_KERNEL_DIR:-}" && -f "$STOCK_KERNEL_DIR/kernels/.net-csharp/kernel.json" ]]; then
  path="$path:$STOCK_KERNEL_DIR"
  kernels+=(.net-csharp)
fi
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
JUPYTER_PATH="$path" /usr/bin/python3 "$here/kernel_latency.py" "${kernels[@]}" "$@"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
