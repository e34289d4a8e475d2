"""docs/ml.md cannot rot: its examples run, and it names everything lmschool.ml exports."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import lmschool.ml
from tests.conftest import ROOT

DOC = ROOT / "docs" / "ml.md"


def test_every_public_name_is_documented() -> None:
    text = DOC.read_text(encoding="utf-8")
    missing = [name for name in lmschool.ml.__all__ if f"`{name}`" not in text]
    assert not missing, f"document these lmschool.ml names in docs/ml.md: {missing}"


def test_the_examples_run_in_order(tmp_path) -> None:
    blocks = re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    assert len(blocks) >= 6
    env = {**os.environ, "MPLBACKEND": "Agg", "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.run(
        [sys.executable, "-c", "\n\n".join(blocks)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "models" / "clf.safetensors").is_file()
    assert (tmp_path / "boundary.png").stat().st_size > 0
