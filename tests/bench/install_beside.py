"""`pip install .` beside PyPI's `store` and `tui` packages leaves both as they were.

Run by hand (it downloads from PyPI):  python tests/bench/install_beside.py

A fresh venv gets PyPI's `store` and `tui` first; then this checkout is installed with
`pip install .`. The script prints whether any file of those two packages changed, which names
jixiao added at the top of site-packages besides its dependencies, and what `jixiao --version`
says. Before jixiao was one package, its wheel put top-level `cli`, `store` and `tui` there.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def digests(site: Path, names: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for name in names:
        for f in sorted((site / name).rglob("*")):
            if f.is_file() and "__pycache__" not in f.parts:
                out[str(f.relative_to(site))] = hashlib.sha256(f.read_bytes()).hexdigest()
    return out


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="jixiao-beside-") as tmp:
        venv = Path(tmp) / "venv"
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "-q"]
        subprocess.run([*pip, "store", "tui"], check=True)
        site = next((venv / "lib").glob("python3*/site-packages"))
        before = digests(site, ("store", "tui"))
        top_before = {p.name for p in site.iterdir()}
        subprocess.run([*pip, str(ROOT)], check=True)
        after = digests(site, ("store", "tui"))
        added = sorted({p.name for p in site.iterdir()} - top_before)
        ours = [n for n in added if n.split("-")[0].lower() in ("jixiao", "cli", "store", "tui")]
        version = subprocess.run(
            [str(venv / "bin" / "jixiao"), "--version"], capture_output=True, text=True
        ).stdout.strip()
        print(f"PyPI's store and tui: {len(before)} files, unchanged: {before == after}")
        print(f"added by jixiao itself at the top of site-packages: {ours}")
        print(f"jixiao --version: {version}")
        ok = before == after and sorted(ours) == [
            "jixiao",
            f"jixiao-{version.split()[-1]}.dist-info",
        ]
        print("ok" if ok else "NOT OK")
        return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
