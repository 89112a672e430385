"""`jixiao render` looked at in a real browser: headless Chromium (Debian's `chromium`, which
.ci/run installs) screenshots the index and a project page at a desktop size and prints them
to PDF with the page's A4 print style. Skipped, saying why, only where Chromium is missing."""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest
from jixiao import cli
from typer.testing import CliRunner

BROWSER = next(
    (p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome")) if p), None
)
pytestmark = pytest.mark.skipif(
    BROWSER is None,
    reason="chromium unavailable: no chromium on PATH (apt-get install chromium); "
    "the site's structure is still checked by test_forge_render.py",
)
UNIT = "135001-大竹县司法局"
DESKTOP = (1280, 900)


def _flags(profile: Path) -> list[str]:
    return [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={profile}",
    ]


def png_pixels(path: Path) -> tuple[int, int, bytes]:
    """Width, height and the raw scanlines (filter bytes included) of an 8-bit RGB(A) PNG."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width, height = 8, b"", 0, 0
    while pos < len(data):
        (size,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        body = data[pos + 8 : pos + 8 + size]
        if kind == b"IHDR":
            width, height = struct.unpack(">II", body[:8])
        elif kind == b"IDAT":
            idat += body
        pos += 12 + size
    return width, height, zlib.decompress(idat)


def test_index_and_a_project_page_in_chromium(workspace, tmp_path: Path) -> None:
    site = tmp_path / "site"
    result = CliRunner().invoke(cli.app, ["-C", str(workspace.root), "render", "-o", str(site)])
    assert result.exit_code == 0, result.output
    index = site / "index.html"
    page = site / UNIT / "执法证工本费.html"
    jobs = {
        "index.png": [
            f"--screenshot={tmp_path / 'index.png'}",
            f"--window-size={DESKTOP[0]},{DESKTOP[1]}",
        ],
        "page.png": [
            f"--screenshot={tmp_path / 'page.png'}",
            f"--window-size={DESKTOP[0]},{DESKTOP[1]}",
        ],
        "index.pdf": [f"--print-to-pdf={tmp_path / 'index.pdf'}", "--no-pdf-header-footer"],
        "page.pdf": [f"--print-to-pdf={tmp_path / 'page.pdf'}", "--no-pdf-header-footer"],
    }
    procs = []
    for k, (name, args) in enumerate(jobs.items()):  # the four at once: each is mostly waiting
        url = (index if name.startswith("index") else page).as_uri()
        cmd = [BROWSER, *_flags(tmp_path / f"profile{k}"), *args, url]
        procs.append(subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE))
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err.decode(errors="replace")[-2000:]
    for name in ("index.png", "page.png"):
        width, height, raw = png_pixels(tmp_path / name)
        assert (width, height) == DESKTOP
        # drawn, not blank: many distinct byte values (text, borders, the coloured bar)
        assert len(set(raw[: len(raw) // 2])) > 50, name
    for name in ("index.pdf", "page.pdf"):
        pdf = (tmp_path / name).read_bytes()
        assert pdf.startswith(b"%PDF-")
        boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
        assert boxes, name
        w, h = (float(x) for x in boxes[0])
        assert abs(w - 841.9) < 2 and abs(h - 595.3) < 2, (name, w, h)  # A4 landscape
    pages = re.findall(rb"/Type\s*/Page(?!s)", (tmp_path / "page.pdf").read_bytes())
    assert len(pages) == 1  # the project (nine rows) prints on one A4 sheet
