"""The SDK as users get it: the wheel built from sdk/python, installed into a clean venv (httpx
comes from the package's own dependency), imported there and used against the live server."""

import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

SDK_DIR = Path(__file__).resolve().parents[2] / "sdk" / "python"

pytestmark = pytest.mark.slow


def run(*argv, **kwargs) -> str:
    result = subprocess.run(argv, capture_output=True, text=True, timeout=300, **kwargs)
    assert result.returncode == 0, f"{argv} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def test_the_wheel_installs_in_a_clean_venv_and_calls_the_api(sdk_site, tmp_path):
    run(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", str(SDK_DIR), "-w", str(tmp_path / "dist"))
    (wheel,) = (tmp_path / "dist").glob("pulsehr-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "pulsehr_sdk/py.typed" in names and "pulsehr_sdk/models.py" in names
    assert not any(name.startswith(("tests/", "scripts/")) for name in names)

    run(sys.executable, "-m", "venv", str(tmp_path / "venv"))
    python = tmp_path / "venv" / "bin" / "python"
    run(str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", str(wheel))

    script = textwrap.dedent(
        f"""
        import httpx, pulsehr_sdk
        assert pulsehr_sdk.__file__.startswith({str(tmp_path / "venv")!r}), pulsehr_sdk.__file__
        with pulsehr_sdk.Pulse(api_key={sdk_site.key!r}, base_url={sdk_site.base_url!r}) as pulse:
            employee = pulse.employees.create(full_name="Wheel", start_date="2024-01-08")
            print(employee.id, pulse.employees.list(q="Wheel").total_count)
        """
    )
    clean_env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    output = run(str(python), "-c", script, cwd=tmp_path, env=clean_env)
    employee_id, total = output.split()
    assert employee_id.startswith("emp_") and int(total) >= 1
