#!/usr/bin/env bash
# Install everything D4A Roadmap Desktop needs and start it on the bundled demo project.
set -euo pipefail
cd "$(dirname "$0")"
. packaging/bootstrap.sh
ensure_packages $QT_OFFSCREEN_PACKAGES $QT_WINDOW_PACKAGES
ensure_venv ""
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] && [ -z "${QT_QPA_PLATFORM:-}" ]; then
  say "No display found. Start this from a desktop session (or under xvfb-run)."
  exit 1
fi
say "Starting D4A Roadmap Desktop"
exec "$VENV/bin/d4a-desktop" --demo "$@"
