"""Before `sori up` starts Temporal's dev server, the page cache lets go of its binary, so that the server maps only
the pages it reads back (a binary cached whole is mapped 2 MB at a time: ~45 MB more of resident memory)."""

import ctypes
import mmap
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from sori_cli.stack.embedded import release_cached_pages

LIBC = ctypes.CDLL(None, use_errno=True)
LIBC.mmap.restype = ctypes.c_void_p
LIBC.mmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_long]
LIBC.mincore.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_void_p]
LIBC.munmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t]


def cached_pages(path: Path) -> int:
    """How many of a file's pages the page cache holds: mincore(2) over a mapping of it, which reads nothing."""
    size = path.stat().st_size
    pages = (size + mmap.PAGESIZE - 1) // mmap.PAGESIZE
    resident = (ctypes.c_ubyte * pages)()
    fd = os.open(path, os.O_RDONLY)
    try:
        address = LIBC.mmap(None, size, mmap.PROT_READ, mmap.MAP_SHARED, fd, 0)
        assert address not in (None, ctypes.c_void_p(-1).value), os.strerror(ctypes.get_errno())
        try:
            assert LIBC.mincore(address, size, resident) == 0, os.strerror(ctypes.get_errno())
        finally:
            LIBC.munmap(address, size)
    finally:
        os.close(fd)
    return sum(flag & 1 for flag in resident)


@pytest.fixture
def beside_the_venvs_binaries() -> Iterator[Path]:
    """A directory on the file system that holds the venv's binaries: a tmpfs (as /tmp may be) cannot drop pages."""
    with tempfile.TemporaryDirectory(dir=sys.prefix) as directory:
        yield Path(directory)


def test_a_released_binary_has_none_of_its_pages_in_the_cache(beside_the_venvs_binaries: Path) -> None:
    binary = beside_the_venvs_binaries / "server"
    binary.write_bytes(os.urandom(4 * 1024 * 1024))
    binary.read_bytes()  # cached whole, as after an install writes it

    assert cached_pages(binary) > 0
    release_cached_pages(binary)

    assert cached_pages(binary) == 0


def test_releasing_a_file_that_is_not_there_does_nothing(tmp_path: Path) -> None:
    release_cached_pages(tmp_path / "absent")

    assert not (tmp_path / "absent").exists()
