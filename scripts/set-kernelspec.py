#!/usr/bin/env python3
"""Make notebooks name the workbook's kernelspec, so editors and nbconvert pick it with no prompt or flag.

Usage: scripts/set-kernelspec.py [NOTEBOOK...]   (default: notebooks/*.ipynb, notebooks/answers/*.ipynb and notebooks/homework/*.ipynb)

Only the notebook-level metadata changes: metadata.kernelspec becomes the workbook kernel's, metadata.language_info
says C#. Cells are left as they are, byte for byte, and the file keeps Jupyter's formatting (indent 1, non-ASCII
kept, a final newline). A file that does not have that formatting is refused rather than reformatted.
Needs only the Python standard library.
"""
import glob
import json
import os
import sys

KERNELSPEC = {"display_name": "C# (Workbook)", "language": "C#", "name": "workbook-csharp"}
LANGUAGE_INFO = {
    "file_extension": ".cs",
    "mimetype": "text/x-csharp",
    "name": "C#",
    "pygments_lexer": "csharp",
    "version": "13.0",
}


def dump(notebook):
    return json.dumps(notebook, indent=1, ensure_ascii=False) + "\n"


def update(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    notebook = json.loads(text)
    if dump(notebook) != text:
        raise SystemExit(f"{path}: not in Jupyter's formatting (indent 1); refusing to reformat it")
    metadata = notebook.setdefault("metadata", {})
    metadata["kernelspec"] = dict(KERNELSPEC)
    language_info = metadata.get("language_info") or {}
    language_info.update({k: v for k, v in LANGUAGE_INFO.items() if k not in language_info or k == "name"})
    metadata["language_info"] = language_info
    new_text = dump(notebook)
    if new_text == text:
        return False
    with open(path, "w", encoding="utf-8") as f:
        f.write(new_text)
    return True


def main(argv):
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    paths = argv or sorted(glob.glob(os.path.join(root, "notebooks", "*.ipynb"))) + \
        sorted(glob.glob(os.path.join(root, "notebooks", "answers", "*.ipynb"))) + \
        sorted(glob.glob(os.path.join(root, "notebooks", "homework", "*.ipynb")))
    for path in paths:
        print(("updated   " if update(path) else "unchanged ") + os.path.relpath(path))


if __name__ == "__main__":
    main(sys.argv[1:])
