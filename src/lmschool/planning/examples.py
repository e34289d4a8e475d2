"""Regenerate the example plans: ``python -m lmschool.planning.examples [--check]``.

Each profile in ``examples/profiles/`` is planned over the bundled course alone (no
extra packs, no measured mastery) and written to ``examples/plans/`` as
``<name>.<en|zh>.md``, ``<name>.<en|zh>.html``, ``<name>.<en|zh>.ics`` and
``<name>.json`` (texts in both languages). They are documentation: a test regenerates
them and fails when they differ, so they always show what the code does.
"""

from __future__ import annotations

import sys
from pathlib import Path

from lmschool.course import Catalog
from lmschool.planning.export import to_ics, to_json, to_markdown
from lmschool.planning.html import to_html
from lmschool.planning.planner import make_plan
from lmschool.planning.profile import load_profile

ROOT = Path(__file__).resolve().parents[3] / "examples"
PROFILES = ROOT / "profiles"
PLANS = ROOT / "plans"


def render_examples(profiles: Path = PROFILES) -> dict[str, bytes]:
    """File name -> content for every example profile."""
    catalog = Catalog.load([], include_bundled=True)
    out: dict[str, bytes] = {}
    for path in sorted(profiles.glob("*.toml")):
        plan = make_plan(catalog, load_profile(path))
        name = path.stem
        for lang in ("en", "zh"):
            out[f"{name}.{lang}.md"] = to_markdown(plan, lang).encode()
            out[f"{name}.{lang}.html"] = to_html(plan, lang).encode()
            out[f"{name}.{lang}.ics"] = to_ics(plan, lang)
        out[f"{name}.json"] = to_json(plan).encode()  # the same in both languages
    return out


def main() -> None:
    files = render_examples()
    if "--check" in sys.argv:
        stale = [
            n
            for n, data in files.items()
            if not (PLANS / n).is_file() or (PLANS / n).read_bytes() != data
        ]
        extra = sorted(p.name for p in PLANS.glob("*") if p.name not in files)
        if stale or extra:
            print(
                f"examples/plans is out of date ({', '.join(stale + extra)}): "
                "run `python -m lmschool.planning.examples`",
                file=sys.stderr,
            )
            sys.exit(1)
        return
    PLANS.mkdir(parents=True, exist_ok=True)
    for stale in PLANS.glob("*"):
        if stale.name not in files:
            stale.unlink()
    for name, data in files.items():
        (PLANS / name).write_bytes(data)
    print(f"wrote {len(files)} files to {PLANS}")


if __name__ == "__main__":
    main()
