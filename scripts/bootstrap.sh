# Sourced by ./run.sh and ./test.sh: make sure system packages, the virtual environment and
# the locked dependencies are in place. Re-running is cheap: nothing is reinstalled unless the
# lock file changed.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"

# Qt needs these shared libraries even offscreen; the xcb ones open a real window.
QT_DEBS_HEADLESS="libglib2.0-0 libgl1 libegl1 libxkbcommon0 libfontconfig1 libdbus-1-3 fontconfig"
QT_DEBS_WINDOW="libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 \
libxcb-render-util0 libxcb-shape0 libxcb-randr0 libxcb-xinerama0 libxcb-xfixes0"

say() { printf '[准备环境] %s\n' "$*" >&2; }

ensure_debs() {
    # $@: Debian packages wanted. Installed only when running as root on Debian/Ubuntu.
    [ -f /etc/debian_version ] || return 0
    local missing=()
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ "$(id -u)" -eq 0 ]; then
        say "安装系统软件包：${missing[*]}"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq >/dev/null
        apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    else
        say "缺少系统软件包：${missing[*]}（请以 root 运行一次，或执行 sudo apt-get install ${missing[*]}）"
    fi
}

find_python() {
    for cand in python3.13 python3.12 python3.11 python3; do
        if command -v "$cand" >/dev/null 2>&1 && "$cand" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
            command -v "$cand"; return 0
        fi
    done
    say "需要 Python 3.11 或更高版本"; return 1
}

ensure_venv() {
    # $1: lock file (requirements/main.lock or requirements/dev.lock)
    local lock="$ROOT/$1" stamp="$VENV/.installed-locks" want
    want="$(sha256sum "$lock" | cut -d' ' -f1)"
    if [ ! -x "$VENV/bin/python" ]; then
        local py; py="$(find_python)"
        if ! "$py" -m venv --help >/dev/null 2>&1 || ! "$py" -c 'import ensurepip' 2>/dev/null; then
            ensure_debs python3-venv
        fi
        say "创建虚拟环境 $VENV"
        "$py" -m venv "$VENV"
    fi
    install_launcher
    if [ -f "$stamp" ] && grep -qx "$want" "$stamp"; then return 0; fi
    # dev.lock is a superset of main.lock: having dev installed satisfies main.
    if [ "$1" = "requirements/main.lock" ] && [ -f "$stamp" ] && \
       grep -qx "$(sha256sum "$ROOT/requirements/dev.lock" | cut -d' ' -f1)" "$stamp"; then return 0; fi
    say "安装依赖（$1）"
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check --require-hashes -r "$lock"
    echo "$want" >> "$stamp"
}

install_launcher() {
    # The `dangjian-ledger` command inside the venv runs this checkout (what `pip install .` would name it).
    local launcher="$VENV/bin/dangjian-ledger"
    [ -x "$launcher" ] && grep -q "$ROOT" "$launcher" && return 0
    printf '#!/bin/sh\nPYTHONPATH="%s${PYTHONPATH:+:$PYTHONPATH}" exec "%s/bin/python" -m app "$@"\n' "$ROOT" "$VENV" > "$launcher"
    chmod +x "$launcher"
}

export PYTHONPATH="$ROOT${PYTHONPATH:+:$PYTHONPATH}"
