"""Write the binary members of the broken-dumps corpus (encodings, BOMs, NUL bytes, a truncated
gzip, archives whose members try to escape their folder) into broken_dumps/. Deterministic: run it again and git sees no change.

    python tests/reliability/make_broken_dumps.py

The 50 MB single line is not committed: `huge_line` writes it at test time.
"""
from __future__ import annotations

import gzip
import io
import json
import tarfile
import zipfile
from pathlib import Path

HERE = Path(__file__).parent / "broken_dumps"


def line(id_: str, text: str) -> str:
    return json.dumps({"id": id_, "text": text}, ensure_ascii=False) + "\n"


def truncated_gzip_lines() -> str:
    """Twenty reports, gzipped and cut in the middle of the stream."""
    return "".join(line(f"good-gz-{i:02d}", f"Сводка {i}: над Брянской областью сбиты {i + 1} беспилотника. " * 8)
                   for i in range(20))


FILES: dict[str, bytes] = {
    # a whole text file in Windows-1251: read as such (mostly Cyrillic letters)
    "cp1251_statement.txt": "Ночью над Воронежской областью уничтожены 3 беспилотника.".encode("cp1251"),
    # JSON Lines in Windows-1251: each line is rejected with a hint to save the file as UTF-8
    "cp1251_articles.jsonl": (line("bad-cp1251-1", "Над Курской областью сбиты 2 беспилотника.")
                              + line("bad-cp1251-2", "Пострадавших нет.")).encode("cp1251"),
    # UTF-16 with a byte-order mark, and little-endian UTF-16 without one
    "utf16_articles.jsonl": (line("good-utf16-1", "Над Белгородской областью сбиты 8 беспилотников.")
                             + line("good-utf16-2", "Air defence destroyed 2 drones over Kursk region.")).encode("utf-16"),
    "utf16_nobom.csv": "id,text\ngood-utf16nb-2,Над Тульской областью сбиты 2 беспилотника.\n".encode("utf-16-le"),
    # a UTF-8 byte-order mark before the header and before the first JSON line
    "bom_articles.csv": b"\xef\xbb\xbf" + "id,text\ngood-bom-2,Над Орловской областью сбит 1 беспилотник.\n".encode(),
    "bom_articles.jsonl": b"\xef\xbb\xbf" + line("good-bom-j1", "Over Tula region 1 drone was destroyed.").encode(),
    # NUL bytes: raw inside a string (dropped), a line of NULs, an id that is only a NUL
    "nul_bytes.jsonl": (b'{"id": "good-nul-1", "text": "raw\x00NUL\x00 bytes: 2 drones downed over Bryansk region."}\n'
                        b"\x00\x00\x00\x00\n"
                        b'{"id": "\\u0000", "text": "an id that is only a NUL"}\n'
                        b'{"id": "good-nul-4", "text": "escaped \\u0000 NUL: 1 drone downed over Kursk region."}\n'),
}


# Member names that would write outside the folder an archive is unpacked into (dronewatch unpacks
# nothing to disk, and reads none of them); "good/..." members load.
ESCAPING_MEMBERS = ["../escaped.jsonl", "/tmp/absolute.jsonl", "..\\windows.jsonl", "C:\\drive.jsonl",
                    "good/../../escaped-deep.jsonl"]


def escaping_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr(zipfile.ZipInfo("good/a.jsonl", (2024, 5, 1, 0, 0, 0)),
                    line("good-zip-1", "Над Брянской областью сбиты 2 беспилотника."))
        for name in ESCAPING_MEMBERS:
            zf.writestr(zipfile.ZipInfo(name, (2024, 5, 1, 0, 0, 0)), line("escaped-zip", "must not load"))
    return out.getvalue()


def escaping_tar() -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w", format=tarfile.USTAR_FORMAT) as tf:
        def add(name: str, data: bytes = b"", kind: bytes = tarfile.REGTYPE, target: str = "") -> None:
            info = tarfile.TarInfo(name)
            info.type, info.linkname, info.size, info.mtime = kind, target, len(data), 0
            tf.addfile(info, io.BytesIO(data) if data else None)

        add("good/b.jsonl", line("good-tar-1", "Over Kursk region 2 drones were destroyed.").encode())
        for name in ESCAPING_MEMBERS:
            add(name, line("escaped-tar", "must not load").encode())
        add("good/passwd.jsonl", kind=tarfile.SYMTYPE, target="/etc/passwd")  # a link out of the folder
        add("good/hard.jsonl", kind=tarfile.LNKTYPE, target="../../outside.jsonl")
    return out.getvalue()


def main() -> None:
    HERE.mkdir(exist_ok=True)
    for name, data in FILES.items():
        (HERE / name).write_bytes(data)
    packed = gzip.compress(truncated_gzip_lines().encode(), mtime=0)
    (HERE / "truncated.jsonl.gz").write_bytes(packed[: len(packed) // 2])
    (HERE / "escaping_members.zip").write_bytes(escaping_zip())
    (HERE / "escaping_members.tar").write_bytes(escaping_tar())


if __name__ == "__main__":
    main()
