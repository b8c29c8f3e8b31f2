"""The kernel the notebooks name: "partnerbook", this interpreter.

Every notebook's metadata names the kernel `NAME`; `make setup` installs a kernelspec of that
name into .venv (for JupyterLab, Notebook 7, VS Code, nbval, papermill by hand), and the
runner's warm kernels use the same name through `Specs`, which answers it with this very
interpreter whether or not a kernelspec is installed: after `pip install partnerbook` (no
`make setup`), or on a Dask worker, the reports still render, and always with the library
the runner itself runs.
"""

from __future__ import annotations

import sys

from jupyter_client.kernelspec import KernelSpec, KernelSpecManager

NAME = "partnerbook"
DISPLAY_NAME = "Python (partnerbook)"


def spec() -> KernelSpec:
    """The `partnerbook` kernel: ipykernel in this interpreter."""
    return KernelSpec(
        name=NAME,
        display_name=DISPLAY_NAME,
        language="python",
        resource_dir="",
        argv=[sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
    )


class Specs(KernelSpecManager):
    """The installed kernelspecs, with `partnerbook` always this interpreter."""

    def get_kernel_spec(self, kernel_name: str) -> KernelSpec:
        if kernel_name == NAME:
            return spec()
        return super().get_kernel_spec(kernel_name)
