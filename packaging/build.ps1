<#
.SYNOPSIS
  Builds Giữ Kín for Windows: dist\giukin\giukin.exe (one folder), and with -Installer the
  Inno Setup installer dist\GiuKin-Setup-<version>.exe. Twin of packaging/build.sh.

.EXAMPLE
  powershell -ExecutionPolicy Bypass -File packaging\build.ps1
  powershell -ExecutionPolicy Bypass -File packaging\build.ps1 -ReuseVenv -Installer
  powershell -ExecutionPolicy Bypass -File packaging\build.ps1 -Installer -Sign `
      -SignCommand 'signtool sign /fd SHA256 /tr http://timestamp.digicert.com /td SHA256 /a'

.NOTES
  Needs Python 3.11 x64 (the `py` launcher or python on PATH) and, for -Installer, Inno Setup 6.3+
  (ISCC.exe on PATH or in its default folder). -Sign signs every .exe in dist\giukin before the
  installer is made, then the installer and its uninstaller (see docs/packaging.md).
#>
param(
  [switch]$ReuseVenv,
  [switch]$Installer,
  [switch]$Sign,
  [string]$SignCommand = 'signtool sign /fd SHA256 /tr http://timestamp.digicert.com /td SHA256 /a',
  [string]$Python = ''
)
$ErrorActionPreference = 'Stop'
$Root = Split-Path -Parent $PSScriptRoot
Set-Location $Root
$Venv = if ($env:GIUKIN_BUILD_VENV) { $env:GIUKIN_BUILD_VENV } else { Join-Path $Root '.venv-build' }
$VenvPy = Join-Path $Venv 'Scripts\python.exe'

function Invoke-Checked([string]$Exe, [string[]]$Arguments) {
  & $Exe @Arguments
  if ($LASTEXITCODE -ne 0) { throw "$Exe $($Arguments -join ' ') failed with exit code $LASTEXITCODE" }
}

if (-not $ReuseVenv -or -not (Test-Path $VenvPy)) {
  Write-Host "== clean build venv: $Venv"
  if (Test-Path $Venv) { Remove-Item -Recurse -Force $Venv }
  if ($Python) { Invoke-Checked $Python @('-m', 'venv', $Venv) }
  elseif (Get-Command py -ErrorAction SilentlyContinue) { Invoke-Checked 'py' @('-3.11', '-m', 'venv', $Venv) }
  else { Invoke-Checked 'python' @('-m', 'venv', $Venv) }
  Invoke-Checked $VenvPy @('-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--upgrade', 'pip')
}
# Runtime deps and PyInstaller only: no test tools, no spaCy model.
Invoke-Checked $VenvPy @('-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '-e', '.[build]')

Write-Host '== pyinstaller'
$Dist = Join-Path $Root 'dist'
if (Test-Path (Join-Path $Dist 'giukin')) { Remove-Item -Recurse -Force (Join-Path $Dist 'giukin') }
Invoke-Checked $VenvPy @('-m', 'PyInstaller', '--noconfirm', '--clean', '--distpath', $Dist,
  '--workpath', (Join-Path $Root 'build\pyinstaller'), (Join-Path $Root 'packaging\giukin.spec'))

$Exe = Join-Path $Dist 'giukin\giukin.exe'
if (-not (Test-Path $Exe)) { throw "build failed: $Exe missing" }
$Size = [math]::Round(((Get-ChildItem -Recurse (Join-Path $Dist 'giukin') | Measure-Object Length -Sum).Sum / 1MB), 1)
Write-Host "== built $Exe ($Size MB)"
Invoke-Checked $Exe @('--version')

if ($Sign) {
  # Every executable in the bundle (giukin.exe; PyInstaller ships no other .exe today).
  Get-ChildItem -Recurse (Join-Path $Dist 'giukin') -Filter *.exe | ForEach-Object {
    Write-Host "== sign $($_.FullName)"
    cmd /c "$SignCommand `"$($_.FullName)`""
    if ($LASTEXITCODE -ne 0) { throw "signing $($_.FullName) failed" }
  }
}

if ($Installer) {
  $Version = (& $VenvPy -c 'import app; print(app.__version__)').Trim()
  $Iscc = (Get-Command ISCC.exe -ErrorAction SilentlyContinue).Source
  if (-not $Iscc) {
    foreach ($Candidate in @("${env:ProgramFiles(x86)}\Inno Setup 6\ISCC.exe", "$env:ProgramFiles\Inno Setup 6\ISCC.exe")) {
      if (Test-Path $Candidate) { $Iscc = $Candidate; break }
    }
  }
  if (-not $Iscc) { throw 'Inno Setup 6 (ISCC.exe) not found: install it from jrsoftware.org' }
  $IsccArgs = @("/DAppVersion=$Version")
  if ($Sign) {
    # Inno signs the installer and the uninstaller with this command ($f = the file).
    $IsccArgs += @('/DSignToolName=giukinsign', "/Sgiukinsign=$SignCommand `$f")
  }
  $IsccArgs += (Join-Path $Root 'packaging\windows\giukin.iss')
  Write-Host "== installer ($Iscc)"
  Invoke-Checked $Iscc $IsccArgs
  Write-Host "== built $(Join-Path $Dist "GiuKin-Setup-$Version.exe")"
}
