"""Which installed packages a sandbox sees: the exercise's allow-list and what it needs.

An exercise declares what learners may import (``allow`` in exercise.toml, default
by flavour: NumPy, or NumPy and PyTorch). The sandbox binds exactly those
distributions and their install requirements (read from the installed metadata,
extras excluded), plus what the learner host needs itself (NumPy, msgpack), entry by
entry; every site-packages folder under a bound system path is masked first. So a
NumPy exercise has no torch and no scikit-learn to call, and no library's bundled
data can be read where the allow-list does not include that library. Data shipped
inside an allowed library that a lab may grade on (scikit-learn's bundled tables) is
masked as well (``MASKED_DATA``).

Resolving the closure reads package metadata (about 0.3 s with PyTorch), so the
answer is cached per interpreter, site folders (and their modification times) and
allow-list, in the user's cache folder. A cached answer is re-checked on load: every
path must exist inside a site folder, so a tampered cache cannot bind anything else.
"""

from __future__ import annotations

import hashlib
import importlib.metadata as md
import json
import os
import sys
import sysconfig
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

# What the learner host imports before any learner code (see host.py and wire.py).
HOST_NEEDS = ("numpy", "msgpack")
# Parts of lmschool itself a learner may be allowed to import, with what they import.
LMSCHOOL_PARTS = {"lmschool.ml": ("numpy", "safetensors", "matplotlib")}
# Bundled data that must stay out of reach even where its library is allowed.
MASKED_DATA = {"sklearn": ("datasets/data", "datasets/descr", "datasets/images")}
CACHE_VERSION = 2


@dataclass(frozen=True)
class PackageView:
    """What to bind for one allow-list: site entries, masked data, lmschool parts."""

    entries: tuple[Path, ...]  # files or folders inside site folders, bound read-only
    masked: tuple[Path, ...]  # folders inside bound entries, hidden by an empty tmpfs
    site_dirs: tuple[Path, ...]  # the site folders the entries live in (for sys.path)
    lmschool_parts: tuple[str, ...]  # e.g. ("lmschool.ml",)


def site_dirs() -> list[Path]:
    """Every site folder of this interpreter (the environment's and the base install's)."""
    found: list[Path] = []
    schemes = [sysconfig.get_paths()]
    schemes.append(
        sysconfig.get_paths(vars={"base": sys.base_prefix, "platbase": sys.base_exec_prefix})
    )
    candidates = [Path(s[k]) for s in schemes for k in ("purelib", "platlib")]
    major_minor = f"python{sys.version_info.major}.{sys.version_info.minor}"
    candidates += [
        Path("/usr/lib/python3/dist-packages"),
        Path("/usr/local/lib") / major_minor / "dist-packages",
        Path("/usr/lib") / major_minor / "dist-packages",
        Path("/usr/lib") / major_minor / "site-packages",
    ]
    for p in candidates:
        if p.is_dir():
            real = p.resolve()
            if real not in found:
                found.append(real)
    return found


def _top(module: str) -> str:
    return module.split(".", 1)[0]


def view(allow: Iterable[str]) -> PackageView:
    """The package view for an allow-list (dotted names; only top-level names matter)."""
    return _view(tuple(sorted(set(allow))))


@lru_cache(maxsize=32)
def _view(allow: tuple[str, ...]) -> PackageView:
    parts = tuple(p for p in LMSCHOOL_PARTS if any(a == p or a.startswith(p + ".") for a in allow))
    if "lmschool" in allow:
        parts = tuple(LMSCHOOL_PARTS)
    modules = {_top(a) for a in allow if _top(a) != "lmschool"}
    modules |= set(HOST_NEEDS)
    for part in parts:
        modules |= set(LMSCHOOL_PARTS[part])
    sites = site_dirs()
    key = _cache_key(sorted(modules), sites)
    cached = _load_cache(key, sites)
    if cached is None:
        entries = _resolve(sorted(modules))
        _save_cache(key, entries)
    else:
        entries = cached
    masked = []
    for entry in entries:
        for sub in MASKED_DATA.get(entry.name, ()):
            if (entry / sub).is_dir():
                masked.append(entry / sub)
    used_sites = sorted({s for s in sites for e in entries if e.parent == s}, key=str)
    return PackageView(tuple(entries), tuple(masked), tuple(used_sites), parts)


def _resolve(modules: list[str]) -> list[Path]:
    """Site entries of the distributions providing ``modules``, with their requirements."""
    providers = md.packages_distributions()
    todo = []
    for module in modules:
        dists = providers.get(module)
        if not dists:
            raise LookupError(
                f"'{module}' is in an exercise's allow-list but is not installed "
                "(pip install it, or remove it from `allow`)"
            )
        todo.extend(dists)
    seen: set[str] = set()
    entries: set[Path] = set()
    while todo:
        name = _norm(todo.pop())
        if name in seen:
            continue
        seen.add(name)
        try:
            dist = md.distribution(name)
        except md.PackageNotFoundError:
            continue  # an optional requirement that is not installed
        for top in {f.parts[0] for f in dist.files or () if f.parts and f.parts[0] != ".."}:
            path = Path(dist.locate_file(top))
            if path.exists() and not path.name.endswith(".pth") and top != "__pycache__":
                entries.add(path.resolve())
        todo.extend(_requirements(dist))
    return sorted(entries, key=str)


def _requirements(dist: md.Distribution) -> list[str]:
    from packaging.requirements import InvalidRequirement, Requirement

    names = []
    for text in dist.requires or ():
        try:
            req = Requirement(text)
        except InvalidRequirement:
            continue
        if req.marker is not None and not req.marker.evaluate({"extra": ""}):
            continue  # an extra, or another platform
        names.append(req.name)
    return names


def _norm(name: str) -> str:
    return name.lower().replace("_", "-").replace(".", "-")


# --- the cache ---------------------------------------------------------------------


def _cache_file() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "lmschool" / "sandbox-packages.json"


def _cache_key(modules: list[str], sites: list[Path]) -> str:
    stamp = [sys.executable, sys.version, CACHE_VERSION, modules]
    for s in sites:
        try:
            stamp.append([str(s), s.stat().st_mtime_ns])
        except OSError:
            stamp.append([str(s), 0])
    return hashlib.sha256(json.dumps(stamp).encode()).hexdigest()


def _load_cache(key: str, sites: list[Path]) -> list[Path] | None:
    try:
        data = json.loads(_cache_file().read_text(encoding="utf-8"))
        paths = [Path(p) for p in data[key]]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    for p in paths:  # never trust the file: only existing entries directly in a site folder
        if p.parent not in sites or not p.exists():
            return None
    return paths


def _save_cache(key: str, entries: list[Path]) -> None:
    path = _cache_file()
    try:
        data = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
        if not isinstance(data, dict) or len(data) > 64:
            data = {}
        data[key] = [str(e) for e in entries]
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(data), encoding="utf-8")
        os.replace(tmp, path)
    except (OSError, ValueError):
        pass  # a cache is an optimisation: without it the next grading resolves again
