#!/bin/sh
# Regenerates the screenshots in docs/img/: the Chinese notebook (docs/examples/notebook_zh.ipynb),
# executed, in a headless browser, and three pages of the built docs.
#
# Needs: chromium (Debian: apt install chromium), a CJK font (apt install fonts-noto-cjk),
# and, in the environment gjjcalc is installed in (the project's .venv by default):
#   pip install nbconvert nbclient ipykernel   (jupytext and mkdocs come with gjjcalc[docs])
#
# Run from the repository root:   sh docs/examples/screenshots.sh
# PYTHON=/path/to/python and CHROMIUM=/path/to/chromium override the defaults.
set -eu

PYTHON=${PYTHON:-.venv/bin/python}
CHROMIUM=${CHROMIUM:-chromium}
OUT=docs/img
WORK=$(mktemp -d)
SERVER=""
trap 'if [ -n "$SERVER" ]; then kill "$SERVER"; fi; rm -rf "$WORK"' EXIT

shot() {  # shot URL FILE WIDTH HEIGHT
    "$CHROMIUM" --headless --no-sandbox --disable-gpu --hide-scrollbars --force-device-scale-factor=1 \
        --virtual-time-budget=8000 --window-size="$3,$4" --screenshot="$2" "$1" 2>/dev/null
}

# 1. The notebook, executed (its figures show as the cells' values, no %matplotlib magic), and
#    three parts of it as HTML: the schedule, the prepayment comparison, the 100,000-loan repricing.
"$PYTHON" -m jupyter nbconvert --to notebook --execute docs/examples/notebook_zh.ipynb \
    --output-dir "$WORK" --output executed
"$PYTHON" - "$WORK" <<'EOF'
import sys
from pathlib import Path

import nbformat
from nbconvert import HTMLExporter

work = Path(sys.argv[1])
nb = nbformat.read(work / "executed.ipynb", as_version=4)
parts = {"notebook_schedule": [0, 1, 2, 3], "notebook_prepayment": [4, 5], "notebook_repricing": [6, 7, 8]}
for name, cells in parts.items():
    part = nbformat.from_dict({**nb, "cells": [nb.cells[k] for k in cells]})
    html, _ = HTMLExporter(template_name="lab").from_notebook_node(part)
    (work / f"{name}.html").write_text(html, encoding="utf-8")
EOF
for name in notebook_schedule notebook_prepayment notebook_repricing; do
    shot "file://$WORK/$name.html" "$OUT/$name.png" 1100 2400
done

# 2. Three docs pages: the Chinese quickstart, the service recipe, and a search for 等额本息.
"$PYTHON" -m mkdocs build --no-strict --site-dir "$WORK/site" >"$WORK/mkdocs.log" 2>&1 || { cat "$WORK/mkdocs.log"; exit 1; }
PORT=${PORT:-8731}
"$PYTHON" -m http.server "$PORT" --bind 127.0.0.1 --directory "$WORK/site" >/dev/null 2>&1 &
SERVER=$!
sleep 1
# Material's search index loads in a web worker in real time, which chromium's --screenshot
# does not wait for: these pages are taken through the DevTools protocol after a real wait.
"$PYTHON" - "$CHROMIUM" "$PORT" "$OUT" <<'EOF'
import asyncio, base64, json, subprocess, sys, tempfile, time, urllib.request

from tornado.websocket import websocket_connect  # tornado comes with jupyter

chromium, port, out = sys.argv[1], sys.argv[2], sys.argv[3]
site = f"http://127.0.0.1:{port}"
pages = [(f"{site}/zh/", "docs_zh.png", 1600), (f"{site}/service/", "docs_service.png", 1600),
         (f"{site}/?q=%E7%AD%89%E9%A2%9D%E6%9C%AC%E6%81%AF", "docs_search.png", 900)]


async def main() -> None:
    devtools = 9333
    proc = subprocess.Popen([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                             f"--remote-debugging-port={devtools}", f"--user-data-dir={tempfile.mkdtemp()}",
                             "about:blank"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                tabs = json.load(urllib.request.urlopen(f"http://127.0.0.1:{devtools}/json"))
                break
            except OSError:
                time.sleep(0.1)
        ws = await websocket_connect(next(t["webSocketDebuggerUrl"] for t in tabs if t["type"] == "page"),
                                     max_message_size=100 * 2**20)
        calls = 0

        async def call(method: str, **params: object) -> dict:
            nonlocal calls
            calls += 1
            ws.write_message(json.dumps({"id": calls, "method": method, "params": params}))
            while True:
                message = json.loads(await ws.read_message())
                if message.get("id") == calls:
                    return message.get("result", {})

        for url, name, height in pages:
            await call("Emulation.setDeviceMetricsOverride", width=1280, height=height,
                       deviceScaleFactor=1, mobile=False)
            await call("Page.navigate", url=url)
            await asyncio.sleep(6)  # the page, its fonts and the search index
            shot = await call("Page.captureScreenshot", format="png")
            with open(f"{out}/{name}", "wb") as f:
                f.write(base64.b64decode(shot["data"]))
    finally:
        proc.terminate()
        proc.wait()


asyncio.run(main())
EOF

# 3. Trim the blank space below each page's content.
"$PYTHON" - "$OUT" <<'EOF'
import sys
from pathlib import Path

from PIL import Image, ImageChops

for path in sorted(Path(sys.argv[1]).glob("*.png")):
    if not path.name.startswith(("notebook_", "docs_")):
        continue
    image = Image.open(path).convert("RGB")
    background = Image.new("RGB", image.size, image.getpixel((image.width - 1, image.height - 1)))
    box = ImageChops.difference(image, background).getbbox()
    if box is not None and box[3] + 24 < image.height:
        image = image.crop((0, 0, image.width, box[3] + 24))
    image.save(path, optimize=True)
    print(path, image.size)
EOF
