"""The one place files are written: never over an input, always atomically, no leftovers.

Every writer (validate, fix, undo, chase, export, history --chart) checks its
destination with ``refuse_inputs`` and writes through ``save_atomically`` /
``save_text`` / ``save_bytes``. A write goes to a scratch folder beside the
output, named ``.xl_validator-<pid>-<random>.tmp`` (openpyxl's own temporary
sheet files go there too, never to the system temp folder), and is renamed into
place when complete. The scratch folder is removed on success, on error and on
Ctrl+C or SIGTERM; one left by a killed run is removed by the next run that
writes into the same folder.
"""
from __future__ import annotations

import contextlib
import errno
import os
import shutil
import signal
import sys
import tempfile
import time
from collections.abc import Iterable, Mapping
from pathlib import Path

from .errors import InputError

SCRATCH_PREFIX = ".xl_validator-"
SCRATCH_SUFFIX = ".tmp"
STALE_AFTER_SECONDS = 24 * 3600  # a scratch folder this old is stale even if its pid was reused


def input_paths(*sources) -> list[Path]:
    """The files and folders a run reads, from any mix of paths, lists of paths and None
    (DataFrames and other in-memory sources have no path and are skipped)."""
    out: list[Path] = []
    for s in sources:
        if s is None or isinstance(s, Mapping):
            continue
        if isinstance(s, (list, tuple, set)):
            out += input_paths(*s)
        elif isinstance(s, (str, os.PathLike)) and str(s):
            out.append(Path(s))
    return out


def refuse_inputs(out, inputs: Iterable, what: str = "--out", folder: bool = False) -> Path:
    """Refuse an output that is (or resolves to) one of ``inputs``, or lies inside an input
    folder (a folder of CSV files), so no run ever writes over what it read."""
    out = Path(out)
    _check_place(out, what, folder)
    target = out.resolve()
    for given in inputs:
        p = Path(given)
        if not p.exists():
            continue
        src = p.resolve()
        if src.is_dir():
            if target == src or src in target.parents:
                raise InputError(f"{out}: {what} lies inside the input folder {p}, whose files are being read; "
                                 "choose a place outside it")
        elif target == src:
            raise InputError(f"{out}: the output must not be the input file {p} (this run reads it, and "
                             f"inputs are never overwritten); choose another {what}")
    return out


def refuse_folder_inputs(folder, inputs: Iterable, what: str) -> Path:
    """For an output folder: it must not be, or lie inside, an input folder."""
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise InputError(f"{folder}: {what} must be a folder, and this is a file")
    return refuse_inputs(folder, inputs, what, folder=True)


def _check_place(out: Path, what: str, folder: bool) -> None:
    """Fail before any work when the output cannot be written there."""
    if out.is_dir() and not folder:
        raise InputError(f"{out}: is a folder; give a file name for {what}")
    for parent in out.parents:
        if parent.exists():
            if not parent.is_dir():
                raise InputError(f"{out}: cannot write the output (part of the path, {parent}, is a file, "
                                 "not a folder); choose another place")
            return


def save_atomically(wb, out) -> Path:
    """Save an openpyxl workbook to ``out`` atomically (see the module docstring)."""
    return _atomic(Path(out), wb.save)


def save_with(write, out) -> Path:
    """Write ``out`` atomically with ``write(path)``, which writes the whole file at ``path``."""
    return _atomic(Path(out), write)


def save_text(text: str, out) -> Path:
    return _atomic(Path(out), lambda tmp: Path(tmp).write_text(text, encoding="utf-8"))


def save_bytes(data: bytes, out) -> Path:
    """Exact bytes (no newline translation)."""
    return _atomic(Path(out), lambda tmp: Path(tmp).write_bytes(data))


def save_files(files: Mapping[str, bytes], folder) -> list[Path]:
    """Write several files into ``folder`` through one scratch folder: each is complete before it
    is renamed into place, and none is renamed until all are written."""
    folder = Path(folder)
    out = []
    with scratch_folder(folder, folder) as scratch:
        try:
            umask = os.umask(0)
            os.umask(umask)
            for i, data in enumerate(files.values()):
                tmp = scratch / f"partial{i}"
                tmp.write_bytes(data)
                os.chmod(tmp, 0o666 & ~umask)
            for i, name in enumerate(files):
                os.replace(scratch / f"partial{i}", folder / name)
                out.append(folder / name)
        except OSError as e:
            raise _cannot_write(folder, e) from None
    return out


def _atomic(out: Path, write) -> Path:
    if out.is_dir():
        raise InputError(f"{out}: is a folder; give a file name for the output")
    with scratch_folder(out.parent, out) as scratch:
        tmp = scratch / f"partial{out.suffix or '.xlsx'}"
        try:
            write(tmp)
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)  # give it a normal file's mode
            os.replace(tmp, out)
        except OSError as e:
            raise _cannot_write(out, e) from None
    return out


@contextlib.contextmanager
def scratch_folder(parent, out=None):
    """A private folder beside the output (``out``, named in errors) for partial files, removed
    however the block ends. openpyxl's temporary sheet files are made in it while the block runs."""
    parent = Path(parent)
    try:
        parent.mkdir(parents=True, exist_ok=True)
        remove_stale(parent)
        path = Path(tempfile.mkdtemp(prefix=f"{SCRATCH_PREFIX}{os.getpid()}-", suffix=SCRATCH_SUFFIX, dir=parent))
    except OSError as e:
        raise _cannot_write(Path(out or parent), e) from None
    try:
        with _openpyxl_temp_files_in(path):
            yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def remove_stale(folder: Path) -> list[Path]:
    """Remove scratch folders (and files) left in ``folder`` by runs that were killed."""
    removed = []
    for p in Path(folder).glob(f"{SCRATCH_PREFIX}*{SCRATCH_SUFFIX}"):
        try:
            pid = int(p.name[len(SCRATCH_PREFIX):].split("-", 1)[0])
        except ValueError:
            pid = None
        try:
            old = time.time() - p.lstat().st_mtime > STALE_AFTER_SECONDS
        except OSError:
            continue
        if pid is not None and pid != os.getpid() and _alive(pid) and not old:
            continue  # another run is writing here right now
        if pid == os.getpid() and not old:
            continue
        if p.is_dir() and not p.is_symlink():
            shutil.rmtree(p, ignore_errors=True)
        else:
            p.unlink(missing_ok=True)
        removed.append(p)
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    return True


@contextlib.contextmanager
def _openpyxl_temp_files_in(folder: Path):
    """openpyxl writes each sheet to a temporary file before zipping; keep those beside the output.
    Every writer that saves through openpyxl has loaded it by now; a text or CSV output does not
    load it just for this."""
    _writer = sys.modules.get("openpyxl.worksheet._writer")
    if _writer is None:
        yield
        return
    original = _writer.NamedTemporaryFile

    def beside(*args, **kwargs):
        kwargs["dir"] = str(folder)
        return original(*args, **kwargs)

    _writer.NamedTemporaryFile = beside
    try:
        yield
    finally:
        _writer.NamedTemporaryFile = original


def _cannot_write(where: Path, e: OSError) -> InputError:
    if e.errno == errno.ENOSPC:
        why = "the disk is full"
    elif isinstance(e, PermissionError) or e.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        why = "no permission to write there"
    elif isinstance(e, IsADirectoryError):
        why = "a folder has that name"
    elif isinstance(e, (NotADirectoryError, FileExistsError)):
        why = "part of the path is a file, not a folder"
    else:
        why = e.strerror or type(e).__name__
    return InputError(f"{where}: cannot write the output ({why}); choose another place")


@contextlib.contextmanager
def sigterm_as_interrupt():
    """While the block runs, SIGTERM ends it the way Ctrl+C does (KeyboardInterrupt), so partial
    files are cleaned up; the previous handler is put back afterwards."""
    def interrupt(signum, frame):
        raise KeyboardInterrupt(f"signal {signum}")

    try:
        previous = signal.signal(signal.SIGTERM, interrupt)
    except (ValueError, AttributeError):  # not the main thread, or no SIGTERM on this platform
        previous = None
    try:
        yield
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
