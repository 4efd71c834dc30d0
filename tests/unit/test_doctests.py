"""The examples in the code's docstrings are run: a docstring that shows a result must show the
right one."""
from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

PACKAGES = ("transforms", "expectations", "flows", "warehouse")


def modules() -> list[str]:
    return [f"{package}.{info.name}" for package in PACKAGES
            for info in pkgutil.iter_modules(importlib.import_module(package).__path__)]


@pytest.mark.parametrize("name", modules())
def test_docstring_examples_hold(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples in {name} fail (see the output above)"
