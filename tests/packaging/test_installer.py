"""The Inno Setup script, read section by section (Inno Setup itself cannot run here)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ISS = ROOT / "packaging" / "windows" / "giukin.iss"


def _parse(text: str) -> dict[str, list[str]]:
    """Section name -> its logical lines (comments dropped, '\\' continuations joined)."""
    sections: dict[str, list[str]] = {"": []}
    current = ""
    pending = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith(";") or line.startswith("#"):
            continue
        if pending:
            line = pending + " " + line
            pending = ""
        if line.endswith("\\"):
            pending = line[:-1].rstrip()
            continue
        match = re.fullmatch(r"\[(\w+)\]", line)
        if match:
            current = match.group(1)
            sections.setdefault(current, [])
            continue
        sections[current].append(line)
    return sections


def _entries(lines: list[str]) -> list[dict[str, str]]:
    """`Name: "x"; Flags: a b` lines -> dicts."""
    result = []
    for line in lines:
        fields = {}
        for part in re.findall(r'(\w+):\s*("(?:[^"]|"")*"|[^;]+)', line):
            key, value = part
            fields[key] = value.strip().strip('"')
        result.append(fields)
    return result


@pytest.fixture(scope="module")
def iss():
    raw = ISS.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 with BOM, so Inno reads the Vietnamese text"
    text = raw.decode("utf-8-sig")
    return text, _parse(text)


def _setup(sections) -> dict[str, str]:
    return dict(line.split("=", 1) for line in sections["Setup"])


def test_per_machine_install_under_program_files(iss):
    _, sections = iss
    setup = _setup(sections)
    assert setup["PrivilegesRequired"] == "admin"
    assert setup["DefaultDirName"] == r"{autopf}\GiuKin"
    assert re.fullmatch(r"\{\{[0-9A-F]{8}(-[0-9A-F]{4}){3}-[0-9A-F]{12}\}", setup["AppId"])
    assert setup["ArchitecturesInstallIn64BitMode"] == "x64compatible"
    assert setup["UninstallDisplayIcon"] == r"{app}\{#AppExe}"


def test_ships_the_whole_one_folder_build(iss):
    text, sections = iss
    dist = re.search(r'#define DistDir "([^"]+)"', text).group(1)
    assert (ISS.parent / dist.replace("\\", "/")).resolve() == ROOT / "dist" / "giukin"
    icon = re.search(r'#define IconFile "([^"]+)"', text).group(1)
    assert (ISS.parent / icon.replace("\\", "/")).resolve().is_file()
    files = _entries(sections["Files"])
    bundle = [f for f in files if f["Source"] == r"{#DistDir}\*"]
    assert bundle and bundle[0]["DestDir"] == "{app}"
    assert {"recursesubdirs", "createallsubdirs"} <= set(bundle[0]["Flags"].split())
    assert re.search(r'#define AppExe "giukin\.exe"', text)


def test_start_menu_and_autostart_task(iss):
    _, sections = iss
    icons = _entries(sections["Icons"])
    assert any(i["Name"].startswith("{autoprograms}") and i["Filename"] == r"{app}\{#AppExe}"
               for i in icons)
    tasks = _entries(sections["Tasks"])
    assert [t["Name"] for t in tasks] == ["autostart"]
    run_keys = [r for r in _entries(sections["Registry"])
                if r["Subkey"] == r"Software\Microsoft\Windows\CurrentVersion\Run"]
    assert len(run_keys) == 1
    run = run_keys[0]
    assert run["Root"] == "HKLM" and run["Tasks"] == "autostart"
    assert "uninsdeletevalue" in run["Flags"].split()
    assert r"{app}\{#AppExe}" in run["ValueData"]


def test_uninstall_keeps_it_policy(iss):
    text, sections = iss
    policy = [f for f in _entries(sections["Files"]) if "{commonappdata}" in f.get("DestDir", "")]
    assert policy, "the /POLICY= copy goes to %ProgramData%\\GiuKin"
    for entry in policy:
        assert "uninsneveruninstall" in entry["Flags"].split()
        assert entry["Check"] == "HasPolicyParam" and "external" in entry["Flags"].split()
    dirs = _entries(sections["Dirs"])
    assert all("uninsneveruninstall" in d["Flags"] for d in dirs if "{commonappdata}" in d["Name"])
    for line in sections.get("UninstallDelete", []):
        assert "{commonappdata}" not in line and "Policies" not in line
    assert "Policies" not in " ".join(sections.get("Registry", []))
    assert "function HasPolicyParam" in text


def test_policy_folder_is_not_user_writable(iss):
    """ProgramData lets users create files in new subfolders: the installer must lock it down."""
    _, sections = iss
    runs = [r for r in _entries(sections["Run"]) if r["Filename"].endswith("icacls.exe")]
    params = [r["Parameters"] for r in runs]
    lock = [p for p in params if "/inheritance:r" in p]
    assert lock and "{commonappdata}\\GiuKin" in lock[0]
    assert "*S-1-5-32-545:(OI)(CI)RX" in lock[0]  # Users: read only
    assert "*S-1-5-32-544:(OI)(CI)F" in lock[0] and "*S-1-5-18:(OI)(CI)F" in lock[0]
    assert any("/setowner *S-1-5-32-544" in p for p in params)
    assert any("/reset" in p and "GiuKin\\*" in p for p in params)
    assert all("runhidden" in r["Flags"] and "postinstall" not in r["Flags"] for r in runs)


def test_silent_flags_documented(iss):
    text, _ = iss
    header = "\n".join(line for line in text.splitlines() if line.startswith(";"))
    for flag in ("/VERYSILENT", "/SUPPRESSMSGBOXES", "/NORESTART", "/POLICY=", "/TASKS=", "/LOG="):
        assert flag in header, flag
    docs = ROOT / "docs" / "packaging.md"
    if docs.exists():
        assert "/VERYSILENT /SUPPRESSMSGBOXES /NORESTART" in docs.read_text(encoding="utf-8")


def test_every_custom_message_is_defined_for_each_language(iss):
    text, sections = iss
    used = set(re.findall(r"\{cm:(\w+)\}", text))
    defined: dict[str, set[str]] = {}
    for line in sections["CustomMessages"]:
        lang, rest = line.split(".", 1)
        defined.setdefault(lang, set()).add(rest.split("=", 1)[0])
    assert used and defined["en"] == used
    assert defined.get("vi") == used, "Vietnamese texts for our own messages"
    languages = [e["Name"] for e in _entries(sections["Languages"])]
    assert "en" in languages and "vi" in languages  # vi is conditional on an .isl being present
    assert text.count("#ifdef VietnameseIsl") >= 2  # vi messages only where vi is defined


def test_shell_scripts_parse():
    for script in ("build.sh", "smoke.sh", "measure.sh"):
        path = ROOT / "packaging" / script
        result = subprocess.run(["bash", "-n", str(path)], capture_output=True, text=True)
        assert result.returncode == 0, f"{script}: {result.stderr}"


def test_build_scripts_agree():
    sh = (ROOT / "packaging" / "build.sh").read_text(encoding="utf-8")
    ps1 = (ROOT / "packaging" / "build.ps1").read_text(encoding="utf-8-sig")
    for text in (sh, ps1):
        assert "giukin.spec" in text and ".venv-build" in text and ".[build]" in text
        assert "--noconfirm" in text and "--clean" in text
    assert "giukin.iss" in ps1 and "/DAppVersion=" in ps1
    if shutil.which("pwsh"):
        result = subprocess.run(
            ["pwsh", "-NoProfile", "-Command",
             f"$null = [System.Management.Automation.Language.Parser]::ParseFile("
             f"'{ROOT / 'packaging' / 'build.ps1'}', [ref]$null, [ref]$e); $e.Count"],
            capture_output=True, text=True)
        assert result.stdout.strip() == "0", result.stdout + result.stderr
