"""stack.json, which programs wait for to find a running stack, appears whole."""

import json
from pathlib import Path
from typing import Any

import pytest

from sori_cli.stack.report import write_stack_file


def test_the_stack_file_is_never_written_in_place(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "stack.json").write_text(json.dumps({"from": "the last start"}))
    written: list[str] = []
    write_text = Path.write_text

    def noting(path: Path, text: str, *args: Any, **kwargs: Any) -> int:
        written.append(path.name)
        return write_text(path, text, *args, **kwargs)

    monkeypatch.setattr(Path, "write_text", noting)
    write_stack_file(tmp_path, {"processes": {"worker": 7}})

    assert "stack.json" not in written
    assert json.loads((tmp_path / "stack.json").read_text()) == {"processes": {"worker": 7}}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["stack.json"]
