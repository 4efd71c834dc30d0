"""Write the binary members of the broken-dumps corpus (encodings, BOMs, NUL bytes, a truncated
gzip) into broken_dumps/. Deterministic: run it again and git sees no change.

    python tests/reliability/make_broken_dumps.py

The 50 MB single line is not committed: `huge_line` writes it at test time.
"""
from __future__ import annotations

import gzip
import json
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


def main() -> None:
    HERE.mkdir(exist_ok=True)
    for name, data in FILES.items():
        (HERE / name).write_bytes(data)
    packed = gzip.compress(truncated_gzip_lines().encode(), mtime=0)
    (HERE / "truncated.jsonl.gz").write_bytes(packed[: len(packed) // 2])


if __name__ == "__main__":
    main()
