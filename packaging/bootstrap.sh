# Shared set-up for ./start.sh and ./test.sh: system libraries, a virtual environment and
# the project itself. Sourced, not run. Works on Debian 12 and derivatives; installs with
# apt when it runs as root (or with password-less sudo), otherwise names what is missing.

VENV="${D4A_VENV:-$PWD/.venv}"

# What Qt needs to run offscreen (tests) and in a real window (the program).
QT_OFFSCREEN_PACKAGES="libglib2.0-0 libegl1 libgl1 libx11-6 libdbus-1-3 libfontconfig1
  libfreetype6 libxkbcommon0 fonts-dejavu-core"
# What the tests need beyond that: strace injects faults at every write of an edit;
# pdftotext reads printed PDFs back.
TEST_PACKAGES="strace poppler-utils"
QT_WINDOW_PACKAGES="libx11-xcb1 libxkbcommon-x11-0 libxcb1 libxcb-cursor0 libxcb-icccm4
  libxcb-image0 libxcb-keysyms1 libxcb-randr0 libxcb-render0 libxcb-render-util0
  libxcb-shape0 libxcb-shm0 libxcb-sync1 libxcb-util1 libxcb-xfixes0 libxcb-xkb1"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

python_ok() {
  command -v python3 >/dev/null 2>&1 &&
    python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null
}

missing_packages() {
  local pkg missing=""
  command -v dpkg-query >/dev/null 2>&1 || return 0
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" ||
      missing="$missing $pkg"
  done
  echo "$missing"
}

ensure_packages() {
  local wanted="$*" missing
  python_ok || wanted="$wanted python3"
  if python_ok && ! python3 -c 'import ensurepip, venv' 2>/dev/null; then
    wanted="$wanted python3-venv"
  fi
  missing=$(missing_packages $wanted)
  [ -z "${missing// /}" ] && return 0
  local apt="apt-get"
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
      apt="sudo apt-get"
    else
      say "These system packages are missing:$missing"
      say "Install them as administrator:  sudo apt-get install$missing"
      exit 1
    fi
  fi
  say "Installing system packages:$missing"
  $apt update -qq
  DEBIAN_FRONTEND=noninteractive $apt install -y -qq --no-install-recommends $missing >/dev/null
}

ensure_venv() {
  local extras="$1"
  if [ ! -x "$VENV/bin/python" ]; then
    say "Creating the virtual environment in $VENV"
    python3 -m venv "$VENV"
    "$VENV/bin/python" -m pip install -q --upgrade pip
  fi
  say "Installing D4A Roadmap Desktop and its Python packages"
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check -e ".$extras"
}
