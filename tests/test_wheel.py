"""A wheel built from the repository works on its own.

The wheel is built without isolation (hatchling and babel are test dependencies), installed
without its dependencies into a fresh virtual environment that borrows this environment's
site-packages for them, and run from a neutral folder, so only the wheel's own files can
provide the package, its resources and its compiled catalogs.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_wheel_installs_and_runs(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                    "-q", "-w", str(dist), str(ROOT)], check=True, cwd=tmp_path)
    (wheel,) = dist.glob("d4a_desktop-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for lang in ("nl", "da", "de", "fr", "nb", "sv"):
        assert f"d4a_desktop/locale/{lang}/LC_MESSAGES/ui.mo" in names
        assert f"d4a_desktop/locale/{lang}/LC_MESSAGES/content.mo" in names
    assert "d4a_desktop/resources/roadmap/roadmap.yaml" in names
    assert "d4a_desktop/resources/demo/kortrijk-cycling.yaml" in names
    for font in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf",
                 "DejaVuSans-BoldOblique.ttf", "LICENSE-DejaVu.txt"):
        assert f"d4a_desktop/resources/fonts/{font}" in names
    assert "d4a_desktop/storage/migrations/versions/0001_initial.py" in names
    assert not any(n.endswith(".po") for n in names)

    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    py = env_dir / "bin" / "python"
    where_cmd = "import sysconfig; print(sysconfig.get_paths()['purelib'])"
    site = subprocess.run([str(py), "-c", where_cmd], check=True, capture_output=True,
                          text=True).stdout.strip()
    # Dependencies come from this environment; .pth lines are plain path entries, so the
    # editable install of the checkout living there is not activated.
    Path(site, "borrowed-deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run([str(py), "-m", "pip", "install", "-q", "--no-deps", "--no-index",
                    str(wheel)], check=True)

    run_dir = tmp_path / "elsewhere"
    run_dir.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "LANGUAGE")}
    env["D4A_HOME"] = str(tmp_path / "home")
    where = subprocess.run([str(py), "-c", "import d4a_desktop; print(d4a_desktop.__file__)"],
                           check=True, capture_output=True, text=True, cwd=run_dir, env=env)
    assert where.stdout.strip().startswith(str(env_dir))

    d4a = str(env_dir / "bin" / "d4a")
    demo = run_dir / "demo.d4a"
    subprocess.run([d4a, "demo", str(demo)], check=True, cwd=run_dir, env=env,
                   capture_output=True)
    info = subprocess.run([d4a, "info", str(demo), "--json"], check=True, cwd=run_dir, env=env,
                          capture_output=True, text=True)
    data = json.loads(info.stdout)
    assert data["project"]["municipality"] == "Kortrijk"
    assert 0 < data["overall"] < 1
    danish = subprocess.run([d4a, "--lang", "da", "info", str(demo)], check=True, cwd=run_dir,
                            env=env, capture_output=True, text=True)
    english = subprocess.run([d4a, "info", str(demo)], check=True, cwd=run_dir, env=env,
                             capture_output=True, text=True)
    assert danish.stdout != english.stdout
    report = run_dir / "report.pdf"  # the fonts come from the wheel, too
    subprocess.run([d4a, "--lang", "fr", "report", str(demo), "-o", str(report)], check=True,
                   cwd=run_dir, env=env, capture_output=True)
    assert report.read_bytes().startswith(b"%PDF-") and b"DejaVuSans" in report.read_bytes()
    assert not (tmp_path / "home" / "cache" / "locale").exists(), \
        "the installed wheel compiled catalogs itself instead of using its own"
