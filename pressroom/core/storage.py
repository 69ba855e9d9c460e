"""Files Pressroom keeps (rendered PDFs, attachments): one local directory, content-addressed
names."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from pressroom.core.config import get_settings


def root() -> Path:
    path = get_settings().storage_dir.resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


def save(data: bytes, *, folder: str, suffix: str) -> tuple[str, str]:
    """Writes ``data`` atomically under a name derived from its hash; returns (path, sha256)."""
    digest = hashlib.sha256(data).hexdigest()
    directory = root() / folder
    directory.mkdir(parents=True, exist_ok=True)
    relative = f"{folder}/{digest}{suffix}"
    target = root() / relative
    if not target.exists():
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=".tmp-")
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    return relative, digest


def path_of(relative: str) -> Path:
    target = (root() / relative).resolve()
    if root() not in target.parents:
        raise ValueError("path outside storage")
    return target

