"""Atomic file writes: a temporary file in the same folder, then a rename.

A reader never sees a half-written file, and a failure leaves the previous file untouched.
"""

from __future__ import annotations

import contextlib
import functools
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO

from geo.forked import Forked


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
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=suffix, dir=path.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


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


Content = str | bytes | Iterable[str | bytes]
"""What :func:`write_many` writes: text (UTF-8), bytes, or pieces of either written as they come."""


def write_many(files: Mapping[Path, Content | Callable[[], Content]]) -> None:
    """Write several files so that none is replaced unless all were written.

    Each is first written to a temporary file; only when every one succeeded are they renamed
    into place. A callable is called to make its file's content; when there are several, each
    but the last is made and written in a forked child process (:class:`geo.forked.Forked`)
    while this process makes the last, so that two cores work at once.

    Parameters
    ----------
    files
        Final path to content (:data:`Content`), or to a function without arguments that returns
        it. Pieces are written as they come, so a large file need not be in memory at once.

    Raises
    ------
    Exception
        Whatever making or writing a file raised (this process's own first); the previous files
        are then untouched and no temporary file is left.
    """
    temps: dict[Path, Path] = {}
    children: list[Forked] = []
    try:
        for path in files:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            os.close(fd)
            temps[path] = Path(name)
        made = [path for path, content in files.items() if callable(content)]
        for path in made[:-1]:
            children.append(Forked(functools.partial(_write, temps[path], files[path])))
        for path, content in files.items():
            if path not in made[:-1]:
                _write(temps[path], content)
        while children:
            children.pop(0).wait()
        for path, tmp in temps.items():
            os.replace(tmp, path)
    finally:
        for child in children:
            child.stop()
        for tmp in temps.values():
            tmp.unlink(missing_ok=True)


def _write(tmp: Path, content: Content | Callable[[], Content]) -> None:
    """Make ``content`` if it is a callable, and write it to ``tmp`` (mode 0644)."""
    made = content() if callable(content) else content
    pieces = [made] if isinstance(made, (str, bytes)) else made
    with open(tmp, "wb") as fh:
        for piece in pieces:
            fh.write(piece.encode("utf-8") if isinstance(piece, str) else piece)
    os.chmod(tmp, 0o644)
