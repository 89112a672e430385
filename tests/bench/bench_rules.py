"""How long the rules take on a 60-indicator sheet (docs/ARCHITECTURE.md, "Budgets": under 2 ms per keystroke).

Run by hand:  python tests/bench/bench_rules.py
The sheet is built from the sample's rows (all 16 sheets' indicators, repeated up to 60, with
three broken cells so the message paths run too).
"""

from __future__ import annotations

import copy
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from jixiao.store.rules import costs  # noqa: E402
from jixiao.store.rules.costs import cost_breakdown  # noqa: E402
from jixiao.store.rules.profile import Profile, base_name  # noqa: E402
from jixiao.store.rules.rules import check_sheet, weight_summary  # noqa: E402
from jixiao.store.tab.tabfile import parse  # noqa: E402


def build(n: int = 60):
    sheets, _ = parse((ROOT / "store/sample/dazhu-sifaju-2024.txt").read_bytes(), "sample")
    rows = [copy.deepcopy(ind) for s in sheets for ind in s.indicators]
    big = copy.deepcopy(sheets[13])  # 执法证工本费: has cost rows that multiply
    big.indicators = (rows * (n // len(rows) + 1))[:n]
    big.indicators[3].annual_weight = "十"
    big.indicators[7].nature = ">="
    big.indicators[11].level1 = "产品指标"
    return big


def timeit(fn, repeat: int = 2000) -> float:
    fn()  # warm caches
    best = float("inf")
    for _ in range(5):
        t0 = time.perf_counter()
        for _ in range(repeat):
            fn()
        best = min(best, (time.perf_counter() - t0) / repeat)
    return best * 1e6


def main() -> None:
    sheet = build()
    profile = Profile.from_dict({"severity": {"W103": "info"}})
    n = len(check_sheet(sheet, profile))
    print(f"60-indicator sheet, {n} findings")
    print(f"check_sheet      {timeit(lambda: check_sheet(sheet, profile)):8.1f} µs")
    print(f"weight_summary   {timeit(lambda: weight_summary(sheet, profile)):8.1f} µs")
    print(f"cost_breakdown   {timeit(lambda: cost_breakdown(sheet)):8.1f} µs")

    # A keystroke changes one cell: the caches keyed by cell text see a new value each time.
    i = [0]

    def keystroke():
        i[0] += 1
        sheet.indicators[20].level3 = f"每次培训的费用{i[0]}"
        sheet.indicators[21].annual_weight = str(i[0] % 50)
        return check_sheet(sheet, profile)

    print(f"after an edit    {timeit(keystroke, 500):8.1f} µs  (budget: 2000 µs)")

    def cold():
        for f in (costs._read_cost, costs._common, costs._clean, costs._kinds_of_measure):
            f.cache_clear()
        base_name.cache_clear()
        profile.memo.clear()
        return check_sheet(sheet, profile)

    print(f"cold caches      {timeit(cold, 200):8.1f} µs")


if __name__ == "__main__":
    main()
