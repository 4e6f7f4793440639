"""Drives the workbook kernel through Debian's jupyter_client, as an editor would, and prints one JSON report.

Usage: drive_kernel.py KERNEL_NAME   (the kernelspec must be on JUPYTER_PATH)
"""
import base64
import json
import sys
import time

from jupyter_client.manager import KernelManager

TIMEOUT = 60


def run(kc, code, timeout=TIMEOUT):
    """Executes code; returns the reply content and the iopub messages of that execution, in order."""
    _, reply, outputs = execute(kc, code, timeout)
    return reply, outputs


def execute(kc, code, timeout=TIMEOUT):
    """Executes code; returns its msg_id, the reply content and the iopub messages until its idle status."""
    msg_id = kc.execute(code)
    outputs = []
    deadline = time.time() + timeout
    while True:
        msg = kc.get_iopub_msg(timeout=max(1, deadline - time.time()))
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        kind = msg["msg_type"]
        if kind == "status" and msg["content"]["execution_state"] == "idle":
            break
        if kind in ("stream", "display_data", "update_display_data", "execute_result", "error", "execute_input"):
            outputs.append({"type": kind, "content": msg["content"]})
    return msg_id, shell_reply(kc, msg_id, timeout), outputs


def late_outputs(kc, msg_id, kinds, timeout=TIMEOUT):
    """The iopub messages of msg_id after its idle status (a chart's image), until one of each kind in kinds came."""
    outputs = []
    deadline = time.time() + timeout
    while kinds and time.time() < deadline:
        try:
            msg = kc.get_iopub_msg(timeout=max(1, deadline - time.time()))
        except Exception:  # queue.Empty: nothing more came
            break
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        outputs.append({"type": msg["msg_type"], "content": msg["content"]})
        kinds = [k for k in kinds if k != msg["msg_type"]]
    return outputs


def run_chart(kc, code, timeout=TIMEOUT):
    """Executes a chart cell: its reply and outputs until idle, then what follows idle (the image's update)."""
    msg_id, reply, outputs = execute(kc, code, timeout)
    result = summary(reply, outputs)
    result["after_idle"] = summary(reply, late_outputs(kc, msg_id, ["update_display_data"], timeout))["outputs"]
    return result


def shell_reply(kc, msg_id, timeout=TIMEOUT):
    """The reply to msg_id; skips others (wait_for_ready leaves kernel_info replies on the shell channel)."""
    while True:
        reply = kc.get_shell_msg(timeout=timeout)
        if reply["parent_header"].get("msg_id") == msg_id:
            return reply["content"]


def summary(reply, outputs):
    result = {"status": reply["status"], "execution_count": reply.get("execution_count"), "outputs": []}
    for o in outputs:
        c = o["content"]
        entry = {"type": o["type"]}
        if o["type"] == "stream":
            entry.update(name=c["name"], text=c["text"])
        elif o["type"] in ("display_data", "update_display_data", "execute_result"):
            entry["mimetypes"] = sorted(c["data"].keys())
            entry["display_id"] = c.get("transient", {}).get("display_id")
            entry["text/plain"] = c["data"].get("text/plain")
            html = c["data"].get("text/html", "")
            entry["html_has_plotly"] = "workbook-plotlyjs" in html
            entry["html_loads_from_network"] = 'src="http' in html
            png = c["data"].get("image/png")
            entry["png_bytes"] = len(base64.b64decode(png)) if png else 0
        elif o["type"] == "error":
            entry.update(ename=c["ename"], evalue=c["evalue"], traceback=c["traceback"])
        result["outputs"].append(entry)
    if reply["status"] == "error":
        result["ename"] = reply.get("ename")
    return result


def main():
    name = sys.argv[1]
    km = KernelManager(kernel_name=name)
    km.start_kernel()
    report = {}
    try:
        kc = km.client()
        kc.start_channels()
        kc.wait_for_ready(timeout=TIMEOUT)
        info = kc.kernel_info(reply=True, timeout=TIMEOUT)["content"]
        report["kernel_info"] = {k: info.get(k) for k in ("protocol_version", "implementation", "language_info")}

        report["add"] = summary(*run(kc, "1+1"))
        report["print"] = summary(*run(kc, 'Console.WriteLine("hello from the workbook");'))
        report["chart"] = run_chart(kc, "using Plotly.NET.CSharp;\n"
                                         "Chart.Line<int, int, string>(x: new[] { 1, 2, 3 }, y: new[] { 1, 4, 9 })")
        report["update_display"] = summary(*run(kc, 'var shown = display("step 1 of 2");\n'
                                                     'shown.Update("step 2 of 2");'))
        report["error"] = summary(*run(kc, 'throw new InvalidOperationException("boom");'))

        # "Run All": three requests queued at once; the second fails, so the third is aborted (stop_on_error).
        ids = [kc.execute(c) for c in ("var a = 1;", "throw new Exception(\"stop\");", "a + 1")]
        statuses = {}
        while len(statuses) < 3:
            msg = kc.get_shell_msg(timeout=TIMEOUT)
            if msg["parent_header"].get("msg_id") in ids:
                statuses[msg["parent_header"]["msg_id"]] = msg["content"]["status"]
        report["run_all_after_error"] = [statuses[i] for i in ids]
        report["after_aborted"] = summary(*run(kc, "a + 1"))

        code = "Console.Wri"
        reply = kc.complete(code, len(code), reply=True, timeout=TIMEOUT)["content"]
        report["complete"] = {"status": reply["status"], "matches": reply["matches"][:50],
                              "cursor_start": reply["cursor_start"], "cursor_end": reply["cursor_end"]}

        reply = shell_reply(kc, kc.is_complete("if (true) {"))
        report["is_complete_open_brace"] = reply["status"]

        code = "Console.WriteLine"
        reply = kc.inspect(code, len(code) - 2, reply=True, timeout=TIMEOUT)["content"]
        report["inspect"] = {"status": reply["status"], "found": reply["found"], "mimetypes": sorted(reply["data"].keys())}

        run(kc, "var kept = 42;")
        # Interrupt a tight loop: the kernel must answer and stay usable.
        msg_id = kc.execute("while (true) {}")
        time.sleep(3)
        started = time.time()
        km.interrupt_kernel()
        reply = None
        errors = []
        while True:
            msg = kc.get_iopub_msg(timeout=TIMEOUT)
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            if msg["msg_type"] == "error":
                errors.append(msg["content"]["ename"] + ": " + msg["content"]["evalue"])
            if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                break
        reply = shell_reply(kc, msg_id)
        report["interrupt"] = {"status": reply["status"], "ename": reply.get("ename"), "errors": errors,
                               "seconds": round(time.time() - started, 1)}
        report["after_interrupt"] = summary(*run(kc, "2+3"))

        km.restart_kernel(now=False)
        kc.wait_for_ready(timeout=TIMEOUT)
        report["after_restart"] = summary(*run(kc, "6*7"))
        kc.stop_channels()
    except Exception as e:  # report what worked so far, and where it stopped
        report["failure"] = type(e).__name__ + ": " + str(e)
    finally:
        km.shutdown_kernel(now=True)
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
