# Sourced by the node scripts: `need_packages <command>=<debian package> ...` makes sure each command exists.
# As root on Debian or Ubuntu it installs what is missing with apt-get; anywhere else it stops and says what
# to install.
need_packages() {
  local missing=() pair
  for pair in "$@"; do
    command -v "${pair%%=*}" >/dev/null 2>&1 || [ -x "/usr/sbin/${pair%%=*}" ] || missing+=("${pair#*=}")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing Debian packages: ${missing[*]}" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null 2>&1 \
      || { apt-get update -q >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null; } \
      || { echo "error: apt-get could not install: ${missing[*]}" >&2; exit 1; }
  else
    echo "error: missing: ${missing[*]} (Debian/Ubuntu package names); install them, or run this as root on Debian or Ubuntu and it installs them itself" >&2
    exit 1
  fi
}
