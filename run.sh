#!/usr/bin/env bash
# Start 党建积分台账 (first run sets up everything). Extra arguments go to the app,
# e.g. ./run.sh --db 某文件.sqlite   or   ./run.sh orgs list
source "$(dirname "$0")/scripts/bootstrap.sh"
ensure_debs $QT_DEBS_HEADLESS $QT_DEBS_WINDOW
ensure_venv requirements/main.lock
cd "$ROOT"
if [ $# -eq 0 ] && [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}${QT_QPA_PLATFORM:-}" ] && [ "$(uname)" = Linux ]; then
    say "没有检测到图形桌面（DISPLAY 未设置），无法打开窗口。可在桌面环境中运行，或使用命令行：./run.sh --help"
    exit 1
fi
exec "$VENV/bin/python" -m app "$@"
