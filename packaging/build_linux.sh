#!/usr/bin/env bash
# Build the one-folder Linux bundle into dist/dangjian-ledger/ and smoke-test it.
#
#   packaging/build_linux.sh            build, then smoke-test (offscreen, temp data folder)
#   packaging/build_linux.sh --no-test  build only
#
# The build venv packaging/.venv-build is created from packaging/requirements-build.lock (hashes
# required): the app's runtime dependencies at the versions of requirements/main.lock, plus
# PyInstaller. It is reinstalled only when the lock file changes.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
VENV="$HERE/.venv-build"
LOCK="$HERE/requirements-build.lock"
DIST="$ROOT/dist"
APP="$DIST/dangjian-ledger"

say() { printf '[打包] %s\n' "$*" >&2; }

find_python() {
    if [ -n "${PYTHON:-}" ]; then echo "$PYTHON"; return 0; fi
    # The interpreter the app is developed and tested with, when there is one.
    if [ -x "$ROOT/.venv/bin/python" ]; then
        "$ROOT/.venv/bin/python" -c 'import sys; print(sys._base_executable)'; return 0
    fi
    for cand in python3.13 python3.12 python3.11 python3; do
        if command -v "$cand" >/dev/null 2>&1 && "$cand" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
            command -v "$cand"; return 0
        fi
    done
    say "需要 Python 3.11 或更高版本（可用 PYTHON=/path/to/python3 指定）"; return 1
}

ensure_build_venv() {
    local want stamp="$VENV/.installed-lock"
    want="$(sha256sum "$LOCK" | cut -d' ' -f1)"
    if [ -x "$VENV/bin/python" ] && ! { [ -f "$stamp" ] && grep -qx "$want" "$stamp"; }; then
        # A changed lock gets a fresh venv: pip would leave packages the new lock no longer lists.
        say "锁文件已变化，重建打包环境"
        rm -rf "$VENV"
    fi
    if [ ! -x "$VENV/bin/python" ]; then
        local py; py="$(find_python)"
        # PyInstaller bundles libpython; an interpreter built without --enable-shared cannot be frozen.
        if [ "$("$py" -c 'import sysconfig; print(sysconfig.get_config_var("Py_ENABLE_SHARED"))')" != "1" ]; then
            say "$py 没有共享库 libpython（编译时未用 --enable-shared），PyInstaller 无法使用它"; exit 1
        fi
        say "创建打包环境 $VENV（$("$py" --version)）"
        "$py" -m venv "$VENV"
    fi
    if [ -f "$stamp" ] && grep -qx "$want" "$stamp"; then return 0; fi
    say "安装打包依赖（$(basename "$LOCK")）"
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r "$LOCK"
    echo "$want" > "$stamp"
}

build() {
    say "PyInstaller 构建 → $APP"
    cd "$ROOT"
    "$VENV/bin/python" -m PyInstaller --noconfirm --clean --log-level WARN \
        --distpath "$DIST" --workpath "$ROOT/build/pyinstaller" "$HERE/dangjian-ledger.spec"
    install -m 644 "$HERE/linux/dangjian-ledger.desktop" "$APP/dangjian-ledger.desktop"
    install -m 755 "$HERE/linux/install.sh" "$APP/install.sh"
    say "完成：$APP（$(du -sh "$APP" | cut -f1)）"
}

smoke_test() {
    # Offscreen, in a throw-away data folder: version; the GUI on an empty data folder creates its
    # database and shows the first-run dialog; the CLI names the unit; the GUI then reaches its main
    # window; the PostgreSQL driver loads; the full self-test must pass (exit 0).
    local tmp out; tmp="$(mktemp -d)"
    trap 'rm -rf "$tmp"' RETURN
    export QT_QPA_PLATFORM=offscreen DANGJIAN_DATA_DIR="$tmp/data" XDG_CONFIG_HOME="$tmp/config" TMPDIR="$tmp"
    say "冒烟测试（临时数据文件夹 $tmp/data）"
    "$APP/dangjian-ledger" --version
    out="$(DANGJIAN_EXIT_AFTER_SHOW=1 timeout 120 "$APP/dangjian-ledger")"
    [[ "$out" == *"WINDOW_SHOWN"*"FirstRunDialog"* ]] || { say "首次启动没有显示初始设置窗口：$out"; exit 1; }
    test -s "$tmp/data/ledger.sqlite" || { say "首次启动没有创建数据库"; exit 1; }
    say "首次启动：已在 $tmp/data 创建数据库并显示初始设置窗口"
    "$APP/dangjian-ledger" init --unit "冒烟测试党工委" >/dev/null
    out="$(DANGJIAN_EXIT_AFTER_SHOW=1 timeout 120 "$APP/dangjian-ledger")"
    [[ "$out" == "MAIN_WINDOW_SHOWN "* ]] || { say "主窗口没有显示：$out"; exit 1; }
    say "主窗口已显示（${out#MAIN_WINDOW_SHOWN } 秒）"
    # The county-server driver is bundled: a server that is not there is "连不上服务器", not a missing driver.
    out="$("$APP/dangjian-ledger" --db postgresql://smoke@127.0.0.1:1/none check 2>&1 || true)"
    [[ "$out" == *"连不上服务器"* ]] || { say "服务器驱动（psycopg）没有打包进来：$out"; exit 1; }
    say "服务器驱动已打包（$out）"
    "$APP/dangjian-ledger" --self-test --dir "$tmp/selftest"
    say "冒烟测试通过"
}

ensure_build_venv
build
if [ "${1:-}" != "--no-test" ]; then smoke_test; fi
