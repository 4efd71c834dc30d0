"""What a command-line run loads before Prefect's temporary server starts."""
from __future__ import annotations

import subprocess
import sys

from tests.conftest import PROJECT_ROOT


def test_the_flow_module_leaves_great_expectations_to_a_background_import() -> None:
    """GX takes 6-7 s to import: the CLI imports it on a thread while the server starts
    (`import_gx_in_background`), which only helps if importing the flows does not import it first."""
    code = ("import sys; import flows.pipeline, flows.cli; "
            "print(sorted(m for m in ('great_expectations', 'expectations.runner') if m in sys.modules))")
    found = subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True, text=True,
                           check=True, timeout=120).stdout.strip()
    assert found == "[]"


def test_the_background_import_loads_what_validate_imports() -> None:
    code = ("import sys; from flows.pipeline import GX_SIDE, import_gx_in_background; "
            "import_gx_in_background().join(120); print(GX_SIDE in sys.modules)")
    found = subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True, text=True,
                           check=True, timeout=180).stdout.strip()
    assert found == "True"
