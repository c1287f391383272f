"""Atomic writes: temporary files (or folders) beside their targets, then renames.

One mechanism, :func:`atomic_paths`, serves every writer of the project: a reader never sees a
half-written output, and a failure leaves the previous outputs untouched. :func:`atomic_path`
and :func:`atomic_open` are its one-file forms; :func:`write_many` writes ready content to
several files at once; :func:`private_folder` is a temporary work folder inside a folder.

Outputs are replaced together or not at all: every target is checked before the first
rename (a folder where a file goes is a :class:`~geo.errors.OutputError`), each replaced file
is kept aside until every rename succeeded, and put back if one fails. Expected I/O failures
(disk full, no permission, a path under a file) become a :class:`~geo.errors.OutputError`
that names the file and the fix.

Temporaries are named after their target (``.map.html.<random>.tmp``) and locked
(:func:`fcntl.flock`) while in use. A process killed with ``SIGKILL`` cannot remove them, so
the next run that writes the same target removes those it finds that are older than
:data:`STALE_AFTER` seconds and not locked by a live process (see ``docs/security.md``).
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import shutil
import tempfile
import time
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO, Final

from geo.errors import OutputError

Content = str | bytes | Iterable[str | bytes]
"""What :func:`write_content` writes: text (UTF-8), bytes, or pieces of either as they come."""

STALE_AFTER: Final = 60.0
"""Seconds after its last change that an unlocked temporary counts as left by a dead run."""

EXPECTED_ERRNOS: Final = frozenset({
    errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EACCES, errno.EPERM, errno.EROFS,
    errno.ENOTDIR, errno.EISDIR, errno.ENOENT, errno.ENAMETOOLONG, errno.ELOOP,
})
"""Errors of writing that the user can fix (space, permissions, a bad path): exit status 2."""


def io_error(exc: OSError, path: str | Path, doing: str = "write") -> OutputError:
    """A :class:`~geo.errors.OutputError` that says what failed on ``path`` and how to fix it.

    Examples
    --------
    >>> str(io_error(OSError(errno.ENOSPC, "No space left on device"), "build/map.html"))
    'cannot write build/map.html: No space left on device; free some space there and run again'
    """
    fixes = {
        errno.ENOSPC: "free some space there and run again",
        errno.EDQUOT: "free some space within your quota and run again",
        errno.EFBIG: "free some space there and run again",
        errno.ENOTDIR: "a part of that path is a file, not a folder; choose another path",
        errno.EISDIR: "it is a folder where a file goes; remove or rename that folder",
    }
    fix = fixes.get(exc.errno or 0, "choose a path you can use, or fix its permissions")
    return OutputError(f"cannot {doing} {path}: {exc.strerror or exc}; {fix}", exc.errno,
                       exc.strerror)


def expected(exc: BaseException) -> bool:
    """Whether ``exc`` is an I/O error the user can fix, not yet an ``OutputError``."""
    return (isinstance(exc, OSError) and not isinstance(exc, OutputError)
            and exc.errno in EXPECTED_ERRNOS)


@contextlib.contextmanager
def atomic_paths(paths: Iterable[str | Path], suffix: str = ".tmp", *,
                 folders: bool = False) -> Iterator[dict[Path, Path]]:
    """Yield a temporary path beside each target; on success every target is replaced.

    Every target is checked first (its folder made, a folder where a file goes refused), and
    none is replaced unless the block ran without error; then they are renamed into place one
    after the other, the old ones kept aside until all are in place (and put back if a rename
    fails). Stale temporaries of the same targets are removed first (:func:`remove_stale`).

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

    Raises
    ------
    geo.errors.OutputError
        A :class:`~geo.errors.UsageError` (and :class:`OSError`) when a target cannot be
        written (a folder where a file goes, a path under a file, no permission, disk full),
        before the first rename or while the block writes.

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
    targets = [Path(p) for p in paths]
    temps: dict[Path, Path] = {}
    locks: list[int] = []
    try:
        for path in targets:
            _check_target(path, folders)
            remove_stale(path.parent, f".{path.name}.")
            try:
                temps[path] = _make_temp(path.parent, f".{path.name}.", suffix, folders, locks)
            except OSError as exc:
                raise (io_error(exc, path) if expected(exc) else exc) from exc
        try:
            yield temps
        except OSError as exc:
            if not expected(exc):
                raise
            where = exc.filename if isinstance(exc.filename, str) else None
            raise io_error(exc, _target_of(where, temps) or targets[0]) from exc
        _replace_all(temps)
    finally:
        for fd in locks:
            os.close(fd)
        for tmp in temps.values():
            _remove(tmp)


def _check_target(path: Path, folders: bool) -> None:
    """Make ``path``'s folder; refuse a target that cannot be replaced (OutputError)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        if not expected(exc) and not isinstance(exc, FileExistsError):
            raise
        blocker = next((p for p in [path.parent, *path.parent.parents]
                        if p.exists() and not p.is_dir()), None)
        if blocker is not None:
            raise OutputError(f"cannot write {path}: {blocker} is a file, not a folder; "
                              "choose another output folder", exc.errno, exc.strerror) from exc
        raise OutputError(f"cannot write {path}: cannot create the folder {path.parent} "
                          f"({exc.strerror or exc}); choose another output folder or fix its "
                          "permissions", exc.errno, exc.strerror) from exc
    if path.is_dir() and not path.is_symlink() and not folders:
        raise OutputError(f"cannot write {path}: it is a folder where a file goes; remove or "
                          "rename that folder (nothing was replaced)", errno.EISDIR,
                          os.strerror(errno.EISDIR))
    if path.exists() and folders and not path.is_dir():
        raise OutputError(f"cannot write {path}: it is a file where a folder goes; remove or "
                          "rename that file (nothing was replaced)", errno.ENOTDIR,
                          os.strerror(errno.ENOTDIR))
    if not os.access(path.parent, os.W_OK | os.X_OK):
        raise OutputError(f"cannot write {path}: the folder {path.parent} is not writable; "
                          "choose another output folder or fix its permissions", errno.EACCES,
                          os.strerror(errno.EACCES))


def _make_temp(folder: Path, prefix: str, suffix: str, is_dir: bool, locks: list[int]) -> Path:
    """A new temporary file or folder in ``folder``, locked until ``locks`` are closed."""
    if is_dir:
        tmp = Path(tempfile.mkdtemp(prefix=prefix, suffix=suffix, dir=folder))
        fd = os.open(tmp, os.O_RDONLY)
    else:
        fd, name = tempfile.mkstemp(prefix=prefix, suffix=suffix, dir=folder)
        tmp = Path(name)
    locks.append(fd)
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    return tmp


def _target_of(filename: str | None, temps: Mapping[Path, Path]) -> Path | None:
    """The target whose temporary ``filename`` is (or is inside), if any."""
    if filename is None:
        return None
    for path, tmp in temps.items():
        if filename == str(tmp) or filename.startswith(f"{tmp}{os.sep}"):
            return path
    return None


def _replace_all(temps: Mapping[Path, Path]) -> None:
    """Rename every temporary into place; if one rename fails, put back what was replaced."""
    done: list[tuple[Path, Path | None]] = []
    path = next(iter(temps), Path())
    try:
        for path, tmp in temps.items():
            aside = _set_aside(path, tmp)
            try:
                if tmp.is_dir():
                    tmp.rename(path)
                else:
                    os.chmod(tmp, 0o644)
                    os.replace(tmp, path)
            except BaseException:
                _restore(path, aside, replaced=False)
                raise
            done.append((path, aside))
    except BaseException as exc:
        for replaced, aside in reversed(done):
            _restore(replaced, aside, replaced=True)
        if isinstance(exc, OSError) and expected(exc):
            raise io_error(exc, path) from exc
        raise
    for _, aside in done:
        if aside is not None:
            _remove(aside)


def _restore(path: Path, aside: Path | None, *, replaced: bool) -> None:
    """Put back what ``path`` was before (``aside``; None: nothing was there)."""
    folder = aside is not None and aside.is_dir() and not aside.is_symlink()
    if replaced and (aside is None or folder):
        _remove(path)
    if aside is None:
        return
    if folder:
        if replaced or not (path.exists() or path.is_symlink()):
            aside.rename(path)
    elif replaced:
        os.replace(aside, path)
    else:
        _remove(aside)


def _set_aside(path: Path, tmp: Path) -> Path | None:
    """Keep the current ``path`` (if any) as ``<tmp>.old`` until every rename succeeded.

    A file stays in place as well (a hard link, or a copy), so that readers never miss it; a
    folder is moved aside.
    """
    if not (path.exists() or path.is_symlink()):
        return None
    old = tmp.with_name(tmp.name + ".old")
    if path.is_dir() and not path.is_symlink():
        path.rename(old)
        return old
    try:
        os.link(path, old, follow_symlinks=False)
    except OSError:
        shutil.copy2(path, old, follow_symlinks=False)
    return old


def _remove(path: Path) -> None:
    """Remove a file, link or folder; nothing is raised."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(OSError):
            path.unlink()


def remove_stale(folder: Path, prefix: str, older_than: float = STALE_AFTER) -> list[Path]:
    """Remove (and return) what a killed run left in ``folder``: names starting ``prefix``.

    Only entries unchanged for ``older_than`` seconds and not locked by a live process
    (:func:`fcntl.flock`) are removed: a run that is still writing keeps its own. ``prefix`` is
    e.g. ``.map.html.`` or ``.protest-map-import-``; a missing folder holds none.
    """
    removed: list[Path] = []
    try:
        names = [n for n in os.listdir(folder) if n.startswith(prefix)]
    except OSError:
        return removed
    now = time.time()
    for name in names:
        path = folder / name
        try:
            if now - path.lstat().st_mtime < older_than or _locked(path):
                continue
        except OSError:
            continue
        _remove(path)
        removed.append(path)
    return removed


def _locked(path: Path) -> bool:
    """Whether a live process holds the lock of ``path`` (a link counts as locked)."""
    if path.is_symlink():
        return True
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    except OSError:
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return True
    finally:
        os.close(fd)
    return False


@contextlib.contextmanager
def private_folder(parent: Path, prefix: str) -> Iterator[Path]:
    """A temporary work folder in ``parent``, named ``prefix…``, locked while in use.

    It is removed afterwards; stale folders of the same ``prefix`` (from a killed run) are
    removed first (:func:`remove_stale`).
    """
    remove_stale(parent, prefix)
    locks: list[int] = []
    folder = _make_temp(parent, prefix, "", True, locks)
    try:
        yield folder
    finally:
        for fd in locks:
            os.close(fd)
        _remove(folder)


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
