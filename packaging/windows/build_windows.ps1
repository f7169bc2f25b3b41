# Build the Windows bundle and the per-user installer. WRITTEN AND REVIEWED, NOT RUN: the project's
# build machine is Linux; run this on a Windows 10/11 x64 PC (see docs/parts/packaging.md).
#
# Needs, once:
#   - Python 3.11 x64 from python.org (tick "Add python.exe to PATH"; the "py" launcher is enough)
#   - Inno Setup 6 (https://jrsoftware.org/isinfo.php); ISCC.exe in its default folder or on PATH
# Then, from the repository root in PowerShell:
#   powershell -ExecutionPolicy Bypass -File packaging\windows\build_windows.ps1
# Result: dist\dangjian-ledger\ (the app folder) and dist\installer\dangjian-ledger-<version>-setup.exe

$ErrorActionPreference = "Stop"
$Root = Resolve-Path (Join-Path $PSScriptRoot "..\..")
$Venv = Join-Path $Root "packaging\.venv-build"
$Lock = Join-Path $Root "packaging\requirements-build.lock"
$Py = Join-Path $Venv "Scripts\python.exe"
Set-Location $Root

function Say($text) { Write-Host "[打包] $text" }
function Check($what) { if ($LASTEXITCODE -ne 0) { throw "$what 失败（退出码 $LASTEXITCODE）" } }

# 1. Build venv from the hash-pinned lock (the same versions as requirements\main.lock + PyInstaller).
$Want = (Get-FileHash $Lock -Algorithm SHA256).Hash
$Stamp = Join-Path $Venv ".installed-lock"
if ((Test-Path $Py) -and (-not (Test-Path $Stamp) -or (Get-Content $Stamp) -ne $Want)) {
    # A changed lock gets a fresh venv: pip would leave packages the new lock no longer lists.
    Say "锁文件已变化，重建打包环境"
    Remove-Item -Recurse -Force $Venv
}
if (-not (Test-Path $Py)) {
    Say "创建打包环境 $Venv"
    py -3.11 -m venv $Venv; Check "创建虚拟环境"
}
if (-not (Test-Path $Stamp)) {
    Say "安装打包依赖"
    & $Py -m pip install --disable-pip-version-check --require-hashes --no-deps -r $Lock; Check "安装依赖"
    Set-Content -Path $Stamp -Value $Want
}

# 2. PyInstaller: dist\dangjian-ledger\dangjian-ledger.exe (windowed) + dangjian-ledger-cli.exe (console).
Say "PyInstaller 构建"
& $Py -m PyInstaller --noconfirm --clean --log-level WARN --distpath dist --workpath build\pyinstaller `
    packaging\dangjian-ledger.spec; Check "PyInstaller"
$App = Join-Path $Root "dist\dangjian-ledger"
$Size = (Get-ChildItem $App -Recurse -File | Measure-Object -Property Length -Sum).Sum / 1MB
Say ("程序文件夹 {0:N0} MB" -f $Size)

# 3. Smoke test with a throw-away data folder (the console build prints the report; exit 0 = passed).
$Tmp = Join-Path $env:TEMP ("dangjian-smoke-" + [guid]::NewGuid())
New-Item -ItemType Directory -Path (Join-Path $Tmp "data") | Out-Null
$env:DANGJIAN_DATA_DIR = Join-Path $Tmp "data"
& "$App\dangjian-ledger-cli.exe" --version; Check "--version"
& "$App\dangjian-ledger-cli.exe" init --unit "冒烟测试党工委"; Check "新建数据库"
& "$App\dangjian-ledger-cli.exe" --self-test --dir (Join-Path $Tmp "selftest"); Check "自检"
Remove-Item Env:\DANGJIAN_DATA_DIR
Remove-Item -Recurse -Force $Tmp

# 4. Installer. The version comes from app\__init__.py, so the installer and --version agree.
$Version = (& $Py -c "import app; print(app.__version__)").Trim(); Check "读取版本号"
$Iscc = (Get-Command ISCC.exe -ErrorAction SilentlyContinue).Source
if (-not $Iscc) { $Iscc = Join-Path ${env:ProgramFiles(x86)} "Inno Setup 6\ISCC.exe" }
if (-not (Test-Path $Iscc)) { $Iscc = Join-Path $env:LOCALAPPDATA "Programs\Inno Setup 6\ISCC.exe" }
if (-not (Test-Path $Iscc)) { throw "找不到 Inno Setup 6 的 ISCC.exe，请先安装 Inno Setup 6" }
# Older Inno Setup 6 releases lack the Simplified Chinese messages: copy ChineseSimplified.isl from
# https://jrsoftware.org/files/istrans/ into "<Inno Setup>\Languages\" if ISCC reports it missing.
Say "生成安装程序（Inno Setup：$Iscc）"
& $Iscc "/DAppVersion=$Version" packaging\windows\installer.iss; Check "Inno Setup"
Say "完成：dist\installer\dangjian-ledger-$Version-setup.exe"
