"""Rebuild ICU's data library (libicudataNN.so, which Qt's wheels ship on Linux) with only the
items the app can reach: 32 MB of locale data, converters and dictionaries, of which Qt reads a
few. tools/bundle_spec.py decides what stays (``icu_item_kept``); this file knows the formats.

ICU's data library holds one symbol, ``icudtNN_dat``: a "common data" package, a header, a table
of contents (item names sorted, for ICU's binary search) and the items, each 16-byte aligned.
The smaller package is written in the same format and linked into a library with the same
soname and symbol (GNU as and ld, from binutils, as `strip`), so libicuuc finds it unchanged.
"""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

ALIGN = 16  # ICU aligns every item so that its tables can be read in place
_SYMBOL = re.compile(rb"icudt\d+_dat")


class IcuTrimError(Exception):
    """The library is not what this code expects; the build keeps the original."""


def _pad(size: int) -> int:
    return -size % ALIGN


def find_package(library: bytes) -> tuple[int, int, str]:
    """(file offset, size, symbol name) of the data package in an ELF64 little-endian library."""
    if library[:4] != b"\x7fELF" or library[4] != 2 or library[5] != 1:
        raise IcuTrimError("not a 64-bit little-endian ELF file")
    (shoff,) = struct.unpack_from("<Q", library, 0x28)
    shentsize, shnum = struct.unpack_from("<HH", library, 0x3A)
    sections = [
        struct.unpack_from("<IIQQQQIIQQ", library, shoff + i * shentsize) for i in range(shnum)
    ]
    for _name, kind, _flags, _addr, offset, size, link, _info, _align, entsize in sections:
        if kind != 11:  # SHT_DYNSYM
            continue
        strings = sections[link][4]
        for index in range(size // entsize):
            st_name, _st_info, _other, shndx, value, st_size = struct.unpack_from(
                "<IBBHQQ", library, offset + index * entsize
            )
            end = library.index(b"\0", strings + st_name)
            name = library[strings + st_name : end]
            if _SYMBOL.fullmatch(name) and 0 < shndx < shnum:
                holder = sections[shndx]
                return value - holder[3] + holder[4], st_size, name.decode()
    raise IcuTrimError("no icudtNN_dat symbol")


def read_package(package: bytes) -> tuple[bytes, list[tuple[str, bytes]]]:
    """The package's header and its items (name, bytes with their padding), in TOC order."""
    header_size, magic1, magic2 = struct.unpack_from("<HBB", package, 0)
    if (magic1, magic2) != (0xDA, 0x27) or package[12:16] != b"CmnD":
        raise IcuTrimError("not an ICU common data package")
    (count,) = struct.unpack_from("<I", package, header_size)
    offsets = [struct.unpack_from("<II", package, header_size + 4 + 8 * i) for i in range(count)]
    items = []
    for index, (name_at, data_at) in enumerate(offsets):
        start = header_size + name_at
        name = package[start : package.index(b"\0", start)].decode("ascii")
        end = header_size + offsets[index + 1][1] if index + 1 < count else len(package)
        items.append((name, package[header_size + data_at : end]))
    return package[:header_size], items


def write_package(header: bytes, items: list[tuple[str, bytes]]) -> bytes:
    """A package in ICU's own layout (as icupkg writes it); offsets count from the TOC."""
    names = b"".join(name.encode("ascii") + b"\0" for name, _data in items)
    toc_size = 4 + 8 * len(items)
    data_at = toc_size + len(names)
    data_at += _pad(len(header) + data_at)
    toc = [struct.pack("<I", len(items))]
    name_at, body = toc_size, []
    for name, data in items:
        toc.append(struct.pack("<II", name_at, data_at))
        name_at += len(name) + 1
        chunk = data + b"\0" * _pad(len(data))
        body.append(chunk)
        data_at += len(chunk)
    gap = b"\0" * _pad(len(header) + toc_size + len(names))
    return header + b"".join(toc) + names + gap + b"".join(body)


def _soname(library: Path) -> str:
    dynamic = subprocess.run(
        ["readelf", "-d", str(library)], capture_output=True, text=True, check=True
    ).stdout
    found = re.search(r"\(SONAME\)\s+Library soname: \[([^\]]+)\]", dynamic)
    return found.group(1) if found else library.name


def link_library(package: bytes, symbol: str, soname: str, out: Path) -> None:
    """A shared library exporting ``symbol``: the package, read-only, 16-byte aligned."""
    with tempfile.TemporaryDirectory(prefix="checkin-icu-") as work:
        folder = Path(work)
        (folder / "data.bin").write_bytes(package)
        (folder / "data.s").write_text(
            "\t.section .rodata\n"
            f"\t.globl {symbol}\n\t.type {symbol}, @object\n\t.balign {ALIGN}\n"
            f'{symbol}:\n\t.incbin "data.bin"\n\t.size {symbol}, . - {symbol}\n'
            '\t.section .note.GNU-stack,"",@progbits\n'
        )
        subprocess.run(["as", "-o", "data.o", "data.s"], cwd=folder, check=True)
        subprocess.run(
            ["ld", "-shared", "-soname", soname, "-z", "noexecstack", "-o", "lib.so", "data.o"],
            cwd=folder,
            check=True,
        )
        shutil.copyfile(folder / "lib.so", out)


def trim(
    library: Path, kept: Callable[[str, bytes], bool], out: Path | None = None
) -> tuple[int, int]:
    """Rewrite ``library`` (or write ``out``) with the items ``kept`` says yes to, given the
    item's name without the package's own folder ("coll/es.res") and its bytes. Returns the
    sizes before and after."""
    if not all(shutil.which(tool) for tool in ("as", "ld", "readelf")):
        raise IcuTrimError("binutils (as, ld, readelf) are needed")
    original = library.read_bytes()
    offset, size, symbol = find_package(original)
    header, items = read_package(original[offset : offset + size])
    chosen = [(n, d) for n, d in items if kept(n.split("/", 1)[-1], d)]
    package = write_package(header, chosen)
    target = out or library
    partial = target.with_name(target.name + ".trimmed")
    try:
        link_library(package, symbol, _soname(library), partial)
        written = partial.read_bytes()
        offset, size, _symbol = find_package(written)
        again = read_package(written[offset : offset + size])[1]
        same = [n for n, _d in again] == [n for n, _d in chosen] and all(
            new.startswith(old) for (_n, new), (_m, old) in zip(again, chosen, strict=True)
        )
        if not same:
            raise IcuTrimError("the rebuilt library does not read back the same")
        partial.chmod(0o755)
        partial.replace(target)  # only once it reads back: a failure leaves the original
    finally:
        partial.unlink(missing_ok=True)
    return len(original), len(written)
