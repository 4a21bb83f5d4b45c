"""Build hook: compiles the optional front end of unknown-term detection.

``resolver/_resolver_scan.c`` becomes the top-level extension module
``_resolver_scan`` in the wheel (top level, so that it is found whether
``resolver`` itself is imported from the install or from a source checkout,
as the test suite does). Where it cannot be compiled (no C compiler, no
Python headers), the wheel is built without it and says so: resolver then
uses the pure-Python front end, which gives the same answers, more slowly.
``RESOLVER_PURE_PYTHON=1`` at build time skips the compilation.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

SOURCE = "resolver/_resolver_scan.c"
MODULE = "_resolver_scan"


class CustomBuildHook(BuildHookInterface):  # type: ignore[type-arg]
    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel" or os.environ.get("RESOLVER_PURE_PYTHON"):
            return
        self._tmp = tempfile.mkdtemp(prefix="resolver-build-")
        try:
            built = _compile(Path(self.root) / SOURCE, Path(self._tmp))
        except Exception as exc:  # noqa: BLE001 - any failure means: no accelerator
            self.app.display_warning(
                f"resolver: {SOURCE} was not compiled ({type(exc).__name__}: {exc}); "
                "unknown-term detection will use its pure-Python front end (same answers, slower)"
            )
            return
        build_data["pure_python"] = False
        build_data["infer_tag"] = True
        build_data["force_include"][str(built)] = built.name

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        tmp = getattr(self, "_tmp", None)
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)


def _compile(source: Path, tmp: Path) -> Path:
    """Compiles ``source`` with the compiler and flags Python was built with
    (setuptools' ``build_ext``); the path of the extension module."""
    from setuptools import Distribution, Extension

    ext = Extension(MODULE, [str(source)])  # (with the flags Python was built with: -O2 or -O3)
    dist = Distribution({"name": "resolver-scan", "ext_modules": [ext]})
    cmd: Any = dist.get_command_obj("build_ext")
    cmd.build_lib = str(tmp / "lib")
    cmd.build_temp = str(tmp / "temp")
    cmd.ensure_finalized()
    cmd.run()
    path = Path(cmd.get_ext_fullpath(MODULE))
    if not path.is_file():
        raise FileNotFoundError(path)
    return path
