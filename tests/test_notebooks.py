"""Every notebook runs top to bottom in a fresh, real kernel, and is committed without outputs.

The kernel is this interpreter (the virtualenv's python) with ipykernel, from a kernel spec
written to a temporary folder: no Jupyter installation or user configuration is needed, and a
``python3`` kernel of another environment cannot be picked up by mistake. It imports ``geo``
from this checkout and draws charts with matplotlib's Agg backend.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
import pytest
from conftest import ROOT
from ipykernel.kernelspec import write_kernel_spec
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
KERNEL = "protest-map-test"
CELL_TIMEOUT_S = 300  # a guard against a hung kernel, not a speed target


def test_there_are_notebooks() -> None:
    assert [p.name for p in NOTEBOOKS if p.name == "explore.ipynb"] == ["explore.ipynb"]


@pytest.fixture(scope="module")
def kernel_specs(tmp_path_factory: pytest.TempPathFactory) -> KernelSpecManager:
    kernels = tmp_path_factory.mktemp("jupyter") / "kernels"
    write_kernel_spec(kernels / KERNEL, overrides={
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "protest-map tests",
        "env": {"MPLBACKEND": "Agg", "PYTHONPATH": str(ROOT)},
    })
    return KernelSpecManager(kernel_dirs=[str(kernels)])


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_committed_without_outputs(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    dirty = [i for i, cell in enumerate(nb.cells) if cell.cell_type == "code"
             and (cell.outputs or cell.execution_count is not None)]
    assert not dirty, (f"{path.name}: code cells {dirty} hold outputs; clear them before "
                       "committing (Jupyter: Edit → Clear Outputs of All Cells, then save)")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs_top_to_bottom(path: Path, kernel_specs: KernelSpecManager) -> None:
    nb = nbformat.read(path, as_version=4)
    km = AsyncKernelManager(kernel_name=KERNEL, kernel_spec_manager=kernel_specs)
    client = NotebookClient(nb, km=km, timeout=CELL_TIMEOUT_S, allow_errors=False,
                            resources={"metadata": {"path": str(path.parent)}})
    # Raises CellExecutionError (with the cell and traceback) on any error; the kernel is shut
    # down either way (a client given a kernel manager would otherwise leave it running).
    client.execute(cleanup_kc=True)
    code = [cell for cell in nb.cells if cell.cell_type == "code"]
    assert all(cell.execution_count for cell in code)
    errors = [o for cell in code for o in cell.outputs if o.output_type == "error"]
    assert not errors
    shown = [o for cell in code for o in cell.outputs
             if o.output_type in ("execute_result", "display_data")]
    assert shown, "the notebook shows nothing"
    if path.name == "explore.ipynb":
        html = "".join(o.get("data", {}).get("text/html", "") for o in shown)
        assert "<iframe" in html  # the folium map, inline
        assert any("image/png" in o.get("data", {}) for o in shown)  # the matplotlib chart
        text = "".join(o.get("data", {}).get("text/plain", "") for o in shown)
        assert "kz-embassy-berlin" in text  # match_venues found the embassy
        printed = "".join(o.text for cell in code for o in cell.outputs
                          if o.output_type == "stream")
        assert "protests.csv:11: date: '18/12/2011' is not a date" in printed
