"""Print the mutation score per module from mutmut's results (run after `mutmut run`, as `make mutation` does).

A timeout counts as killed (the mutant made the tests hang: it was detected); « no tests » and « suspicious » are
listed apart. The table is what docs/mutation.md quotes.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

LINE = re.compile(r"^\s*(?P<name>[\w.ǁ]+?)__mutmut_\d+: (?P<status>.+)$")


def main() -> None:
    mutmut = Path(sys.executable).with_name("mutmut")
    output = subprocess.run([str(mutmut), "results", "--all", "true"], capture_output=True, text=True, check=True).stdout
    by_module: dict[str, Counter[str]] = defaultdict(Counter)
    for line in output.splitlines():
        match = LINE.match(line)
        if match:
            module = match.group("name").split(".x")[0].split(".xǁ")[0]
            by_module[module][match.group("status").strip()] += 1
    print("| module | mutants | killed | timeout | survived | no tests | score |")
    print("|---|---|---|---|---|---|---|")
    totals: Counter[str] = Counter()
    for module, counts in sorted(by_module.items()):
        totals.update(counts)
        print(_row(module, counts))
    print(_row("**total**", totals))


def _row(module: str, counts: Counter[str]) -> str:
    total = sum(counts.values())
    detected = counts["killed"] + counts["timeout"]
    scored = total - counts["no tests"] - counts["skipped"]
    score = f"{100 * detected / scored:.1f} %" if scored else "—"
    cells = [module, total, counts["killed"], counts["timeout"], counts["survived"], counts["no tests"], score]
    return "| " + " | ".join(str(cell) for cell in cells) + " |"


if __name__ == "__main__":
    main()
