#!/usr/bin/env python3
"""Times Jupyter kernels as a reader meets them in an editor, side by side in one run.

usage: /usr/bin/python3 kernel_latency.py KERNELSPEC [KERNELSPEC ...] [--repeat N] [--chart CODE]

For each kernelspec (found on JUPYTER_PATH) and run: start -> kernel_info reply, start -> the first result of a
trivial cell, the CPU time the kernel's processes (the kernel and its children) had used by then, a warm trivial
cell (best of 3), and for C# kernels the first chart cell and a later one (best of 3).
A cell's time runs from its execute_request to its idle status, which follows the reply: outputs sent after that
(the workbook's static chart images, as update_display_data) are not waited for. Prints one JSON object per kernel
and run. Needs Debian's python3-jupyter-client (and python3-ipykernel for the python3 kernel)."""
import argparse
import json
import os
import time

from jupyter_client.manager import start_new_kernel

CHART = ('using Workbook.Charts; '
         'Plot.Line(new[] {1.0, 2.0, 3.0}, new[] {1.0, 4.0, 9.0}, "y").Titled("t", "x", "y")')


def cpu_seconds(pid):
    """User and system CPU time of a process and its live descendants, from /proc (Linux)."""
    tick = os.sysconf('SC_CLK_TCK')
    children = {}
    stats = {}
    for entry in os.listdir('/proc'):
        if entry.isdigit():
            try:
                with open(f'/proc/{entry}/stat') as f:
                    fields = f.read().rsplit(')', 1)[1].split()
            except OSError:
                continue
            stats[int(entry)] = (int(fields[11]) + int(fields[12])) / tick
            children.setdefault(int(fields[1]), []).append(int(entry))
    total, todo = 0.0, [pid]
    while todo:
        p = todo.pop()
        total += stats.get(p, 0.0)
        todo.extend(children.get(p, []))
    return round(total, 2)


def measure(name, chart):
    t0 = time.time()
    km, kc = start_new_kernel(kernel_name=name, startup_timeout=120)
    info = time.time() - t0

    def cell(code):
        t = time.time()
        reply = kc.execute_interactive(code, timeout=120, output_hook=lambda m: None)
        return round(time.time() - t, 3), reply['content']['status']

    first, _ = cell('1 + 1')
    out = {"kernel": name, "start_to_kernel_info_s": round(info, 2), "start_to_first_result_s": round(info + first, 2)}
    if os.path.isdir('/proc'):
        out["cpu_to_first_result_s"] = cpu_seconds(km.provisioner.process.pid)
    out["warm_trivial_cell_s"] = min(cell('2 + 3')[0] for _ in range(3))
    if name != 'python3' and chart:
        first_chart, status = cell(chart)
        later = [cell(chart) for _ in range(3)]
        out.update({"first_chart_s": first_chart, "later_chart_s": min(t for t, _ in later), "chart_status": status})
    km.shutdown_kernel(now=True)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('kernels', nargs='+')
    ap.add_argument('--repeat', type=int, default=3)
    ap.add_argument('--chart', default=CHART)
    a = ap.parse_args()
    for _ in range(a.repeat):
        for k in a.kernels:
            try:
                print(json.dumps(measure(k, a.chart)), flush=True)
            except Exception as e:  # a kernel that does not start is a result too
                print(json.dumps({"kernel": k, "error": str(e)[:200]}), flush=True)


if __name__ == '__main__':
    main()
