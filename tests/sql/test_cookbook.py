"""Every ```sql block of the README's "SQL cookbook" section runs on the sample warehouse
(tests/sql/_sample) and answers with at least one row."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.sql.loader import build_warehouse
from warehouse import db

README = Path(__file__).resolve().parents[2] / "README.md"
SAMPLE = Path(__file__).resolve().parent / "_sample"


def cookbook_queries(readme: str) -> list[str]:
    """The SQL blocks between the "## SQL cookbook" heading and the next level-2 heading."""
    section = re.search(r"^## SQL cookbook\n(.*?)(?=^## |\Z)", readme, re.S | re.M)
    assert section, "README.md has no '## SQL cookbook' section"
    return re.findall(r"^```sql\n(.*?)^```", section.group(1), re.S | re.M)


QUERIES = cookbook_queries(README.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def con():
    connection = build_warehouse(SAMPLE)
    yield connection
    connection.close()


def test_the_cookbook_has_questions() -> None:
    assert len(QUERIES) >= 4


@pytest.mark.parametrize("query", QUERIES, ids=[f"query{n + 1}" for n in range(len(QUERIES))])
def test_cookbook_query_runs_on_the_sample(con, query: str) -> None:
    result = db.query(con, query)
    assert result.height > 0, f"no rows from:\n{query}"
