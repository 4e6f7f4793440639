#!/usr/bin/env bash
# Set up a clone of the workbook for reading and rerunning the lessons in an editor:
#   1. restore the NuGet packages and build the solution;
#   2. publish the command line precompiled (ReadyToRun) into artifacts/kernel, which takes about a quarter off the
#      kernel's wait for its first result in an editor (see bench/README.md, "Kernel latency");
#   3. install the workbook's Jupyter kernel, "C# (Workbook)", for the current user, starting that published build.
# The dev container runs it after it is created, and CI runs it before the tests. It is safe to run again: the
# build and the publish are incremental and the kernel install replaces the kernelspec it wrote before. Python and
# Jupyter are not needed for any of this; when they are missing, the script says how to get them and still succeeds.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf 'setup: %s\n' "$*"; }

if ! command -v dotnet >/dev/null 2>&1; then
    say "the .NET 10 SDK is needed (the 'dotnet' command was not found); install it, then run scripts/setup.sh again"
    exit 1
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
say "restoring and building (dotnet $(dotnet --version))"
dotnet restore Workbook.sln --verbosity quiet
dotnet build Workbook.sln --no-restore --verbosity quiet -nologo -consoleLoggerParameters:ErrorsOnly

# The kernelspec starts the build that runs `kernel install`: the ReadyToRun publish when it succeeds, else the
# Debug build (which works the same, only slower to its first result).
kernel_dll=artifacts/kernel/workbook.dll
say "publishing the kernel precompiled (ReadyToRun) into artifacts/kernel"
# Into an emptied folder: publishing over an earlier copy keeps files that are newer than their source (a file
# that is no longer precompiled, a package that went back a version). The compiled code stays cached under obj/.
rm -rf artifacts/kernel
if ! dotnet publish src/Workbook.Cli -c Release --use-current-runtime --self-contained false \
        -p:PublishReadyToRun=true -o artifacts/kernel \
        --verbosity quiet -nologo -consoleLoggerParameters:ErrorsOnly; then
    kernel_dll=src/Workbook.Cli/bin/Debug/net10.0/workbook.dll
    say "note: the ReadyToRun publish failed (see above); the kernel starts the Debug build instead"
fi
say "installing the Jupyter kernel for this user ($kernel_dll)"
dotnet "$kernel_dll" kernel install --user

# The Python to look for Jupyter in: WORKBOOK_PYTHON if set, else Debian's, else the first python3 on PATH.
python=""
for candidate in ${WORKBOOK_PYTHON:-/usr/bin/python3 python3}; do
    if command -v "$candidate" >/dev/null 2>&1; then python=$candidate; break; fi
done
if [ -n "$python" ] && "$python" -c 'import jupyter_client' >/dev/null 2>&1; then
    say "Jupyter found ($("$python" -c 'import jupyter_client; print("jupyter_client", jupyter_client.__version__)')): notebooks open with C# (Workbook)"
else
    say "note: Jupyter was not found (no jupyter_client for ${python:-python3}). The kernel is installed all the same;"
    say "      to open the lessons in Jupyter Notebook or nbconvert, and for the tests that drive them, install them,"
    say "      e.g. on Debian or Ubuntu:"
    say "      apt-get install jupyter-notebook jupyter-nbconvert python3-jupyter-client python3-nbformat chromium"
    say "      or with pip: pip install notebook nbconvert"
fi
say "done. Run every lesson with: dotnet run --project src/Workbook.Cli -- run"
