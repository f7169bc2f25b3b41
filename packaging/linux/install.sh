#!/usr/bin/env bash
# Install the built bundle for the current user (no root): run from the bundle folder or pass it.
#   ./install.sh [BUNDLE_DIR]      install (or update) into ~/.local/opt/dangjian-ledger
#   ./install.sh --uninstall       remove the program; the ledger data (~/.local/share/dangjian-ledger) stays
set -euo pipefail

PREFIX="${XDG_DATA_HOME:-$HOME/.local/share}"
OPT="$HOME/.local/opt/dangjian-ledger"
BIN="$HOME/.local/bin"

if [ "${1:-}" = "--uninstall" ]; then
    rm -rf "$OPT" "$BIN/dangjian-ledger" "$PREFIX/applications/dangjian-ledger.desktop"
    rm -f "$PREFIX"/icons/hicolor/*/apps/dangjian-ledger.png
    echo "已卸载程序。数据文件夹未删除：$PREFIX/dangjian-ledger"
    exit 0
fi

SRC="$(cd "${1:-$(dirname "${BASH_SOURCE[0]}")}" && pwd)"
[ -x "$SRC/dangjian-ledger" ] || { echo "在 $SRC 中找不到 dangjian-ledger 程序" >&2; exit 1; }
mkdir -p "$OPT" "$BIN" "$PREFIX/applications"
if [ "$SRC" != "$OPT" ]; then
    rm -rf "$OPT"
    cp -a "$SRC" "$OPT"
fi
ln -sf "$OPT/dangjian-ledger" "$BIN/dangjian-ledger"
for size in 16 24 32 48 64 128 256; do
    mkdir -p "$PREFIX/icons/hicolor/${size}x${size}/apps"
    cp "$OPT/_internal/resources/icons/app-$size.png" "$PREFIX/icons/hicolor/${size}x${size}/apps/dangjian-ledger.png"
done
sed "s|^Exec=.*|Exec=$OPT/dangjian-ledger|; s|^TryExec=.*|TryExec=$OPT/dangjian-ledger|" \
    "$OPT/dangjian-ledger.desktop" > "$PREFIX/applications/dangjian-ledger.desktop"
echo "已安装到 $OPT；应用菜单中的“党建积分台账”即可启动（命令行：dangjian-ledger）"
