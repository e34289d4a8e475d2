"""The data-set registry: what each data set is, where it comes from, and how to load it.

Every data set the course uses has one entry in :data:`REGISTRY` with its source URL,
its sha256, its licence and how it is stored. Nothing is committed to the repository:

- ``kind="file"`` and ``kind="folder"`` sets are looked up in ``LMSCHOOL_DATA_DIR``
  first (an offline folder, laid out as ``<name>/<file>``, e.g. a copy of the project's
  shared data folder), then in the cache (``$LMSCHOOL_CACHE_DIR/datasets``, by default
  ``~/.cache/lmschool/datasets``), and are downloaded into the cache when missing: the
  download is hashed while it streams, refused when the sha256 differs, and moved into
  place with one atomic rename, so a failed or interrupted download never leaves a
  partial file behind;
- ``kind="sklearn"`` sets ship inside scikit-learn (no download);
- ``kind="generator"`` sets are simulated by :mod:`lmschool.ml.generators`.

>>> from lmschool.ml import datasets
>>> X, y = datasets.load("breast-cancer")
>>> text = datasets.load("tinyshakespeare")          # a str of 1,115,394 characters
>>> datasets.path("fsdd")                             # the folder of .wav files

This module imports only the standard library and NumPy (scikit-learn lazily, inside
:func:`load`), because learners' code imports it inside the grading sandbox.
"""

from __future__ import annotations

import difflib
import hashlib
import os
import shutil
import sys
import tempfile
import urllib.error
import urllib.request
import wave
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np

from lmschool.ml import generators

__all__ = [
    "REGISTRY",
    "ChecksumError",
    "DatasetError",
    "DatasetInfo",
    "DatasetUnavailable",
    "cache_dir",
    "data_dir",
    "info",
    "load",
    "locate",
    "path",
    "sha256_of",
    "verify",
]

Kind = Literal["file", "folder", "sklearn", "generator"]
Fetch = Literal["direct", "zip", "manual", "none"]

CHUNK = 1 << 20  # bytes read per step when downloading or hashing
TIMEOUT_S = 60  # seconds without data before a download is abandoned


@dataclass(frozen=True)
class DatasetInfo:
    """One data set of the registry.

    ``filename`` is where the set lives inside ``LMSCHOOL_DATA_DIR`` or the cache
    (``tinyshakespeare/input.txt``, ``fsdd/recordings``). ``sha256`` is the hash of that
    file or, for a folder, of all its files concatenated in sorted name order.
    ``fetch`` says how a missing copy is obtained: ``direct`` (``url`` is the file),
    ``zip`` (``url`` is a zip archive; ``member`` is the folder inside it to keep),
    ``manual`` (no single download exists: ``url`` is the source, see docs/datasets.md),
    ``none`` (bundled or generated).
    """

    name: str
    description: str
    url: str | None
    sha256: str | None
    licence: str
    kind: Kind
    filename: str | None = None
    fetch: Fetch = "none"
    member: str | None = None
    size: str = ""  # human-readable size of the download, for messages


def _entries() -> list[DatasetInfo]:
    return [
        DatasetInfo(
            name="tinyshakespeare",
            description="40,000 lines of Shakespeare, 1,115,394 characters, 65 distinct "
            "(Karpathy's char-rnn corpus).",
            url="https://raw.githubusercontent.com/karpathy/char-rnn/master/data/tinyshakespeare/input.txt",
            sha256="86c4e6aa9db7c042ec79f339dcb96d42b0075e16b8fc2e86bf0ca57e2dc565ed",
            licence="public domain text",
            kind="file",
            filename="tinyshakespeare/input.txt",
            fetch="direct",
            size="1.1 MB",
        ),
        DatasetInfo(
            name="tang-poems",
            description="57,603 Tang poems (全唐诗, traditional characters): title, author, "
            "body, blank line per poem; 4,477,670 characters.",
            url="https://github.com/chinese-poetry/chinese-poetry",
            sha256="21f50a8d7673e8e1655b47cf390ed840e069b861881daf02a391f2a11ec33e57",
            licence="MIT",
            kind="file",
            filename="tang-poems/tang_poems.txt",
            fetch="manual",
            size="12.9 MB",
        ),
        DatasetInfo(
            name="fsdd",
            description="Free Spoken Digit Dataset v1.0.9: 3,000 recordings of the digits 0-9 "
            "by 6 speakers, mono 8 kHz 16-bit, named {digit}_{speaker}_{index}.wav; "
            "the official test split is index 0-4.",
            url="https://github.com/Jakobovski/free-spoken-digit-dataset/archive/refs/tags/v1.0.9.zip",
            sha256="ddb17656a0bca4c5ddace082be188ca630516dc2ef1110afe3c4e9cc71173de4",
            licence="CC BY-SA 4.0",
            kind="folder",
            filename="fsdd/recordings",
            fetch="zip",
            member="free-spoken-digit-dataset-1.0.9/recordings/",
            size="about 20 MB",
        ),
        DatasetInfo(
            name="breast-cancer",
            description="Wisconsin diagnostic breast cancer: 569 tumours, 30 measurements of "
            "cell nuclei; scikit-learn's target is 0 = malignant (212), 1 = benign (357).",
            url="https://archive.ics.uci.edu/dataset/17/breast+cancer+wisconsin+diagnostic",
            sha256=None,
            licence="CC BY 4.0",
            kind="sklearn",
        ),
        DatasetInfo(
            name="digits",
            description="1,797 handwritten digits as 8x8 images with 16 grey levels "
            "(64 features), labels 0-9.",
            url="https://archive.ics.uci.edu/dataset/80/optical+recognition+of+handwritten+digits",
            sha256=None,
            licence="CC BY 4.0",
            kind="sklearn",
        ),
        DatasetInfo(
            name="diabetes",
            description="442 diabetes patients, 10 baseline variables (standardised), target "
            "a quantitative measure of disease progression one year later.",
            url="https://www4.stat.ncsu.edu/~boos/var.select/diabetes.html",
            sha256=None,
            licence="scikit-learn bundled data (BSD-3-Clause)",
            kind="sklearn",
        ),
        DatasetInfo(
            name="credit-default",
            description="Simulated credit-card clients: default on a payment within 12 "
            "months (~20% positives); correlated features, missing values, categorical "
            "columns. See lmschool.ml.generators.credit_default.",
            url=None,
            sha256=None,
            licence="generated (Apache-2.0, like lmschool)",
            kind="generator",
        ),
        DatasetInfo(
            name="student-pass",
            description="Simulated secondary-school students: pass (1) or fail (0) of the "
            "final exam (~30% fail). See lmschool.ml.generators.student_pass.",
            url=None,
            sha256=None,
            licence="generated (Apache-2.0, like lmschool)",
            kind="generator",
        ),
        DatasetInfo(
            name="late-deliveries",
            description="Simulated parcel shipments: delivered after the promised date "
            "(~22% late). See lmschool.ml.generators.late_deliveries.",
            url=None,
            sha256=None,
            licence="generated (Apache-2.0, like lmschool)",
            kind="generator",
        ),
    ]


REGISTRY: dict[str, DatasetInfo] = {d.name: d for d in _entries()}

_SKLEARN_LOADERS = {
    "breast-cancer": "load_breast_cancer",
    "digits": "load_digits",
    "diabetes": "load_diabetes",
}
_GENERATORS: dict[str, Callable[..., tuple[np.ndarray, np.ndarray, list[str]]]] = {
    "credit-default": generators.credit_default,
    "student-pass": generators.student_pass,
    "late-deliveries": generators.late_deliveries,
}


class DatasetError(RuntimeError):
    """A data set cannot be found, fetched or trusted; the message says what to do."""


class DatasetUnavailable(DatasetError):
    """No local copy, and it cannot be downloaded (offline, or no direct download)."""


class ChecksumError(DatasetError):
    """A file's sha256 is not the registry's: corrupted, truncated or a different version."""


# --- where data lives ----------------------------------------------------------------


def info(name: str) -> DatasetInfo:
    """The registry entry for ``name``, or a KeyError that suggests the closest names."""
    try:
        return REGISTRY[name]
    except KeyError:
        close = difflib.get_close_matches(name, REGISTRY, n=2)
        hint = f" Did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
        raise KeyError(
            f"unknown data set {name!r}.{hint} Known data sets: {', '.join(sorted(REGISTRY))}"
        ) from None


def data_dir() -> Path | None:
    """The offline folder ``LMSCHOOL_DATA_DIR`` (read first, never written), if set."""
    value = os.environ.get("LMSCHOOL_DATA_DIR", "").strip()
    return Path(value).expanduser() if value else None


def cache_dir() -> Path:
    """Where downloads go: ``$LMSCHOOL_CACHE_DIR/datasets``, else ``~/.cache/lmschool/datasets``.

    ``XDG_CACHE_HOME`` replaces ``~/.cache`` when it is set.
    """
    root = os.environ.get("LMSCHOOL_CACHE_DIR", "").strip()
    if root:
        return Path(root).expanduser() / "datasets"
    xdg = os.environ.get("XDG_CACHE_HOME", "").strip()
    base = Path(xdg).expanduser() if xdg else Path.home() / ".cache"
    return base / "lmschool" / "datasets"


def _stored(entry: DatasetInfo) -> DatasetInfo:
    if entry.kind not in ("file", "folder") or entry.filename is None:
        how = (
            "it ships inside scikit-learn"
            if entry.kind == "sklearn"
            else "it is generated by lmschool.ml.generators"
        )
        raise DatasetError(
            f"data set {entry.name!r} has no file: {how}. Use datasets.load({entry.name!r})."
        )
    return entry


def _present(p: Path, entry: DatasetInfo) -> bool:
    return p.is_dir() if entry.kind == "folder" else p.is_file()


def locate(name: str) -> Path | None:
    """The local copy of a file or folder data set, or None; never downloads."""
    entry = _stored(info(name))
    offline = data_dir()
    for root in ([offline] if offline is not None else []) + [cache_dir()]:
        candidate = root / entry.filename
        if _present(candidate, entry):
            return candidate
    return None


def path(name: str) -> Path:
    """The local path of a file or folder data set, downloading it into the cache if needed.

    Looks in ``LMSCHOOL_DATA_DIR`` first, then in the cache. A download is verified
    against the registry's sha256 before it appears in the cache. Raises
    :class:`DatasetUnavailable` (offline, or no direct download) and
    :class:`ChecksumError` (the download is not the registered file) with a message
    that names the data set and what to set or copy where.
    """
    entry = _stored(info(name))
    found = locate(name)
    if found is not None:
        return found
    target = cache_dir() / entry.filename
    if entry.fetch == "manual" or entry.url is None:
        raise DatasetUnavailable(_unavailable(entry, target, "it has no single-file download"))
    try:
        if entry.fetch == "zip":
            _download_folder_from_zip(entry, target)
        else:
            _download_file(entry, target)
    except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
        reason = getattr(exc, "reason", exc)
        raise DatasetUnavailable(
            _unavailable(entry, target, f"downloading {entry.url} failed ({reason})")
        ) from exc
    return target


def _unavailable(entry: DatasetInfo, target: Path, why: str) -> str:
    offline = data_dir()
    where = (
        f"LMSCHOOL_DATA_DIR ({offline}) has no {entry.filename}"
        if offline is not None
        else "LMSCHOOL_DATA_DIR is not set"
    )
    return (
        f"data set {entry.name!r} is not available: {where}, the cache has no {target}, "
        f"and {why}. Either set LMSCHOOL_DATA_DIR to a folder that holds "
        f"{entry.filename} (for example a copy of the course's data folder), or put the "
        f"{'folder' if entry.kind == 'folder' else 'file'} at {target} yourself "
        f"(source: {entry.url}; sha256 {entry.sha256}). See docs/datasets.md."
    )


# --- hashing and verification ----------------------------------------------------------


def sha256_of(p: Path) -> str:
    """sha256 of a file, or of a folder's files concatenated in sorted name order."""
    h = hashlib.sha256()
    files = sorted(f for f in p.rglob("*") if f.is_file()) if p.is_dir() else [p]
    if p.is_dir():
        files = sorted(files, key=lambda f: f.relative_to(p).as_posix())
    for f in files:
        with open(f, "rb") as fh:
            while chunk := fh.read(CHUNK):
                h.update(chunk)
    return h.hexdigest()


def verify(name: str) -> Path | None:
    """Check the local copy of ``name`` against the registry's sha256; never downloads.

    Returns the verified path, or None for bundled and generated sets (nothing to
    verify). Raises :class:`DatasetUnavailable` when there is no local copy and
    :class:`ChecksumError` when the copy differs.
    """
    entry = info(name)
    if entry.kind in ("sklearn", "generator"):
        return None
    found = locate(name)
    if found is None:
        raise DatasetUnavailable(
            _unavailable(entry, cache_dir() / (entry.filename or name), "verify() never downloads")
        )
    got = sha256_of(found)
    if got != entry.sha256:
        raise ChecksumError(
            f"data set {name!r} at {found} has sha256 {got}, expected {entry.sha256}: the "
            f"copy is corrupted, truncated or another version. Delete it and run "
            f"datasets.path({name!r}) to download it again."
        )
    return found


# --- downloads ----------------------------------------------------------------------


def _announce(entry: DatasetInfo, target: Path) -> None:
    size = f" ({entry.size})" if entry.size else ""
    print(
        f"lmschool: downloading {entry.name}{size} from {entry.url} into {target}", file=sys.stderr
    )


def _fetch_to(url: str, fh: Any, h: Any = None) -> None:
    request = urllib.request.Request(url, headers={"User-Agent": "lmschool"})
    with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:  # noqa: S310 (https URLs from the registry)
        while chunk := response.read(CHUNK):
            fh.write(chunk)
            if h is not None:
                h.update(chunk)


def _download_file(entry: DatasetInfo, target: Path) -> None:
    """Stream ``entry.url`` into a temporary file beside ``target``, check, then rename."""
    target.parent.mkdir(parents=True, exist_ok=True)
    _announce(entry, target)
    fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    tmp = Path(tmp_name)
    try:
        h = hashlib.sha256()
        with os.fdopen(fd, "wb") as fh:
            _fetch_to(entry.url, fh, h)
        got = h.hexdigest()
        if got != entry.sha256:
            raise ChecksumError(
                f"download of data set {entry.name!r} from {entry.url} has sha256 {got}, "
                f"expected {entry.sha256}: the server sent another file (moved, changed, or "
                f"an error page). Nothing was kept; {target} does not exist."
            )
        os.replace(tmp, target)  # atomic: the target is either absent or complete
    finally:
        tmp.unlink(missing_ok=True)


def _download_folder_from_zip(entry: DatasetInfo, target: Path) -> None:
    """Download a zip archive, keep the files under ``entry.member``, check, then rename."""
    target.parent.mkdir(parents=True, exist_ok=True)
    _announce(entry, target)
    work = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part"))
    try:
        archive = work / "archive.zip"
        with open(archive, "wb") as fh:
            _fetch_to(entry.url, fh)
        staged = work / target.name
        _extract_member(archive, entry.member or "", staged, entry)
        got = sha256_of(staged)
        if got != entry.sha256:
            raise ChecksumError(
                f"download of data set {entry.name!r} from {entry.url}: the files under "
                f"{entry.member} have sha256 {got}, expected {entry.sha256}. Nothing was "
                f"kept; {target} does not exist."
            )
        os.replace(staged, target)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _extract_member(archive: Path, member: str, dest: Path, entry: DatasetInfo) -> None:
    """Extract the plain files under ``member`` of a zip into ``dest``, flat and safely."""
    try:
        zf = zipfile.ZipFile(archive)
    except zipfile.BadZipFile as exc:
        raise ChecksumError(
            f"download of data set {entry.name!r} from {entry.url} is not a zip archive: "
            "the server sent something else (an error page?). Nothing was kept."
        ) from exc
    dest.mkdir()
    count = 0
    with zf:
        for item in zf.infolist():
            if item.is_dir() or not item.filename.startswith(member):
                continue
            rel = item.filename[len(member) :]
            # Only plain names directly under the member: no sub-folders, no '..' escapes.
            if not rel or "/" in rel or "\\" in rel or rel in (".", ".."):
                continue
            with zf.open(item) as src, open(dest / rel, "wb") as out:
                shutil.copyfileobj(src, out, CHUNK)
            count += 1
    if count == 0:
        raise ChecksumError(
            f"download of data set {entry.name!r} from {entry.url} has no files under "
            f"{member!r}: the archive's layout changed. Nothing was kept."
        )


# --- loading ------------------------------------------------------------------------


def load(name: str, **kw: Any) -> Any:
    """Load a data set as Python data.

    - ``tinyshakespeare``, ``tang-poems``: the whole text as a ``str``;
    - ``fsdd``: ``(waves, y)`` with ``waves`` a list of float32 arrays in [-1, 1] (8 kHz)
      and ``y`` the digits (int64); ``split="train"``/``"test"`` keeps the official
      split (test: recordings with index 0-4), ``return_speakers=True`` adds the
      speaker names as a third item;
    - ``breast-cancer``, ``digits``, ``diabetes``: ``(X, y)`` from scikit-learn;
    - ``credit-default``, ``student-pass``, ``late-deliveries``: ``(X, y)`` from the
      generator, with its keyword arguments (``n``, ``seed``).

    Tabular sets take ``return_names=True`` to return ``(X, y, feature_names)``.
    """
    entry = info(name)
    if entry.kind == "sklearn":
        return _load_sklearn(name, **kw)
    if entry.kind == "generator":
        return_names = kw.pop("return_names", False)
        X, y, names = _GENERATORS[name](**kw)
        return (X, y, names) if return_names else (X, y)
    if name == "fsdd":
        return _load_fsdd(path(name), **kw)
    if kw:
        raise TypeError(f"load({name!r}) takes no options, got {sorted(kw)}")
    return path(name).read_text(encoding="utf-8")


def _load_sklearn(name: str, *, return_names: bool = False) -> Any:
    from sklearn import datasets as skd  # lazily: sklearn is slow to import

    bunch = getattr(skd, _SKLEARN_LOADERS[name])()
    X = np.asarray(bunch.data, dtype=np.float64)
    y = np.asarray(bunch.target)
    if return_names:
        return X, y, [str(n) for n in bunch.feature_names]
    return X, y


def _load_fsdd(folder: Path, *, split: str | None = None, return_speakers: bool = False) -> Any:
    if split not in (None, "train", "test"):
        raise ValueError(f"split must be None, 'train' or 'test', got {split!r}")
    waves: list[np.ndarray] = []
    digits: list[int] = []
    speakers: list[str] = []
    for f in sorted(folder.glob("*.wav")):
        digit, speaker, index = f.stem.split("_")
        if split is not None and (int(index) < 5) != (split == "test"):
            continue
        with wave.open(str(f), "rb") as w:
            if w.getsampwidth() != 2 or w.getnchannels() != 1:
                raise DatasetError(f"{f}: expected mono 16-bit audio")
            raw = w.readframes(w.getnframes())
        waves.append(np.frombuffer(raw, dtype="<i2").astype(np.float32) / 32768.0)
        digits.append(int(digit))
        speakers.append(speaker)
    y = np.asarray(digits, dtype=np.int64)
    return (waves, y, speakers) if return_speakers else (waves, y)
