"""Atomic writes: temporary files (or folders) beside their targets, then renames.

One mechanism, :func:`atomic_paths`, serves every writer of the project: a reader never sees a
half-written output, and a failure leaves the previous outputs untouched. :func:`atomic_path`
and :func:`atomic_open` are its one-file forms; :func:`write_many` writes ready content to
several files at once.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO

Content = str | bytes | Iterable[str | bytes]
"""What :func:`write_content` writes: text (UTF-8), bytes, or pieces of either as they come."""


@contextlib.contextmanager
def atomic_paths(paths: Iterable[str | Path], suffix: str = ".tmp", *,
                 folders: bool = False) -> Iterator[dict[Path, Path]]:
    """Yield a temporary path beside each target; on success every target is replaced.

    None of the targets is replaced unless the block ran without error; then they are renamed
    into place one after the other.

    Parameters
    ----------
    paths
        The final files (or folders). Their parent folders are created if missing.
    suffix
        Ending of the temporary names, for writers that check it (GDAL wants ``.gpkg``).
    folders
        Make empty temporary folders instead of files; an existing target folder is moved aside
        and removed once the new one is in place.

    Yields
    ------
    dict
        Target path to its temporary path.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> root = pathlib.Path(tempfile.mkdtemp())
    >>> with atomic_paths([root / "a.txt", root / "b.txt"]) as tmp:
    ...     for target, path in tmp.items():
    ...         _ = path.write_text(target.name)
    >>> (root / "b.txt").read_text()
    'b.txt'
    """
    temps: dict[Path, Path] = {}
    try:
        for path in map(Path, paths):
            path.parent.mkdir(parents=True, exist_ok=True)
            prefix = f".{path.name}."
            if folders:
                temps[path] = Path(tempfile.mkdtemp(prefix=prefix, suffix=suffix,
                                                    dir=path.parent))
            else:
                fd, name = tempfile.mkstemp(prefix=prefix, suffix=suffix, dir=path.parent)
                os.close(fd)
                temps[path] = Path(name)
        yield temps
        for path, tmp in temps.items():
            _replace(tmp, path)
    finally:
        for tmp in temps.values():
            if tmp.is_dir():
                shutil.rmtree(tmp, ignore_errors=True)
            else:
                tmp.unlink(missing_ok=True)


def _replace(tmp: Path, path: Path) -> None:
    """Move ``tmp`` to ``path`` (mode 0644 for a file), replacing what was there."""
    if not tmp.is_dir():
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
        return
    old = tmp.with_name(tmp.name + ".old")
    if path.exists():
        path.rename(old)
    tmp.rename(path)
    shutil.rmtree(old, ignore_errors=True)


@contextlib.contextmanager
def atomic_path(path: str | Path, suffix: str = ".tmp") -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success it replaces ``path``.

    Parameters
    ----------
    path
        The final file. Its folder is created if missing.
    suffix
        Ending of the temporary file's name, for writers that check it (GDAL wants ``.gpkg``).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "out.txt"
    >>> with atomic_path(target) as tmp:
    ...     _ = tmp.write_text("done")
    >>> target.read_text()
    'done'
    """
    with atomic_paths([path], suffix) as temps:
        yield temps[Path(path)]


@contextlib.contextmanager
def atomic_open(path: str | Path, mode: str = "w", **kwargs: object) -> Iterator[IO]:
    """Open a temporary file for writing that replaces ``path`` when closed without error.

    Parameters
    ----------
    path
        The final file.
    mode
        ``"w"`` (text, UTF-8 unless ``encoding`` is given) or ``"wb"``.
    **kwargs
        Passed to :func:`open` (``newline``, ``encoding``).
    """
    if "b" not in mode:
        kwargs.setdefault("encoding", "utf-8")
    with atomic_path(path) as tmp, open(tmp, mode, **kwargs) as fh:  # type: ignore[call-overload]
        yield fh
        fh.flush()
        os.fsync(fh.fileno())


def write_content(path: Path, content: Content) -> None:
    """Write ``content`` to ``path``, piece by piece (a large file need not be in memory)."""
    pieces = [content] if isinstance(content, (str, bytes)) else content
    with open(path, "wb") as fh:
        for piece in pieces:
            fh.write(piece.encode("utf-8") if isinstance(piece, str) else piece)


def write_many(files: Mapping[Path, Content]) -> None:
    """Write several files so that none is replaced unless all were written.

    Parameters
    ----------
    files
        Final path to its content.

    Raises
    ------
    Exception
        Whatever writing a file raised; the previous files are then untouched and no temporary
        file is left.
    """
    with atomic_paths(files) as temps:
        for path, content in files.items():
            write_content(temps[path], content)
