"""Without libinterop: generated modules still import for their types, and the first use of the
runtime raises interop.LibraryNotFound saying where it looked and how to build it."""

from __future__ import annotations

import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import unittest

import interop

SCRIPT = """
import fleet_control, interop
vehicle = fleet_control.Vehicle(id=7, name="van-7")
print(vehicle.to_dict()["name"])
try:
    fleet_control.FleetControlClient.connect("pipe://nobody")
except interop.LibraryNotFound as error:
    print(type(error).__name__, isinstance(error, ImportError))
    print(error)
"""


def run(env: dict, python_path: list[str]) -> str:
    environment = {key: value for key, value in os.environ.items() if key != "INTEROP_LIBRARY"}
    environment.update(env)
    environment["PYTHONPATH"] = os.pathsep.join(python_path)
    done = subprocess.run(
        [sys.executable, "-W", "error", "-c", SCRIPT], env=environment, capture_output=True, text=True, timeout=60
    )
    if done.returncode != 0 or done.stderr:
        raise AssertionError(f"python failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return done.stdout


def generated_folder() -> str:
    for folder in os.environ.get("PYTHONPATH", "").split(os.pathsep):
        if folder and (pathlib.Path(folder) / "fleet_control.py").is_file():
            return folder
    raise unittest.SkipTest("the generated fleet_control module is not on PYTHONPATH")


class LibraryMissing(unittest.TestCase):
    def test_an_explicit_path_that_does_not_exist(self) -> None:
        missing = "/nonexistent/libinterop.so"
        package = str(pathlib.Path(interop.__file__).parent.parent)
        out = run({"INTEROP_LIBRARY": missing}, [generated_folder(), package])
        lines = out.splitlines()
        self.assertEqual(lines[:2], ["van-7", "LibraryNotFound True"])
        self.assertIn(f"INTEROP_LIBRARY={missing} cannot be loaded", out)
        self.assertIn("cargo build --release -p interop", out)

    def test_nothing_found_lists_where_it_looked(self) -> None:
        # A copy of the package outside any workspace, with no library next to it.
        with tempfile.TemporaryDirectory() as folder:
            shutil.copytree(
                pathlib.Path(interop.__file__).parent,
                pathlib.Path(folder) / "interop",
                ignore=shutil.ignore_patterns("*.so", "__pycache__"),
            )
            out = run({"LD_LIBRARY_PATH": ""}, [generated_folder(), folder])
            self.assertIn("libinterop was not found; looked in:", out)
            self.assertIn(str(pathlib.Path(folder) / "interop" / "libinterop.so"), out)
            self.assertIn("find_library", out)
            self.assertIn("set INTEROP_LIBRARY", out)


if __name__ == "__main__":
    unittest.main()
