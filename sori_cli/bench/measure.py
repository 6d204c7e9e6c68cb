"""What a figure is: a value beside its baseline, and their ratio (higher is better for rates)."""

import time
from dataclasses import asdict, dataclass
from pathlib import Path


@dataclass
class Figure:
    name: str
    value: float
    unit: str
    baseline: float | None = None
    baseline_name: str = ""
    goal: str = ""

    @property
    def ratio(self) -> float | None:
        return self.value / self.baseline if self.baseline else None

    def as_dict(self) -> dict[str, object]:
        return {**asdict(self), "ratio": self.ratio}


class Stopwatch:
    def __enter__(self) -> "Stopwatch":
        self.started = time.perf_counter()
        self.seconds = 0.0
        return self

    def __exit__(self, *_exc: object) -> None:
        self.seconds = time.perf_counter() - self.started


def rss_megabytes(pid: int) -> float:
    """Resident memory of a process, from /proc (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def render_table(figures: list[Figure]) -> str:
    header = f"{'figure':<54} {'value':>10} {'baseline':>10} {'ratio':>7}  goal"
    lines = [header, "-" * len(header)]
    for f in figures:
        base = f"{f.baseline:>10.1f}" if f.baseline is not None else f"{'':>10}"
        ratio = f"{f.ratio:>7.3f}" if f.ratio is not None else f"{'':>7}"
        lines.append(f"{f.name + ' (' + f.unit + ')':<54} {f.value:>10.1f} {base} {ratio}  {f.goal}")
    return "\n".join(lines)
