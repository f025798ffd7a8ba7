#!/usr/bin/env bash
# What `npm test` needs from the machine besides node_modules, checked before anything is built so a
# missing tool fails in seconds with the line that fixes it, not minutes later inside a test.
# One script for developers and CI: with CI=true as root (.ci/run on a fresh machine) it installs
# and starts what is missing itself; otherwise it only says what to run.
#   Chromium         the end-to-end tests (playwright.config.ts: CHROMIUM_PATH or /usr/bin/chromium)
#   poppler-utils    pdftotext / pdftoppm / pdfinfo read the PDFs the app makes
#   CUPS + cups-pdf  the printing tests print to a queue named PDF whose files land in ~/PDF
#   PostgreSQL       the sync suite starts a throwaway cluster with initdb / pg_ctl
set -uo pipefail

chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"
ppd=/usr/share/ppd/cups-pdf/CUPS-PDF_opt.ppd
# cupsd and lpadmin live in /usr/sbin, which a normal user's PATH often lacks.
export PATH="$PATH:/usr/sbin:/sbin"

has() { command -v "$1" >/dev/null 2>&1; }

# Where initdb and pg_ctl are, searched like test/sync/server-faults.test.ts does.
postgres_bin() {
  local d
  local IFS=:
  for d in ${PG_BIN:-} $PATH $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -rV | tr '\n' :); do
    [ -n "$d" ] && [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && { echo "$d"; return 0; }
  done
  return 1
}

# Debian packages whose tools are missing (names as in Debian and Ubuntu).
missing_packages() {
  local need=()
  [ -n "${CHROMIUM_PATH:-}" ] || [ -x "$chromium" ] || need+=(chromium)
  { has pdftotext && has pdftoppm && has pdfinfo; } || need+=(poppler-utils)
  { has cupsd && has lp && has lpstat && has lpadmin; } || need+=(cups)
  { [ -x /usr/lib/cups/backend/cups-pdf ] && [ -f "$ppd" ]; } || need+=(printer-driver-cups-pdf)
  postgres_bin >/dev/null || need+=(postgresql)
  echo "${need[*]}"
}

# lpstat -r exits 0 whether or not the scheduler runs: only its words tell.
cups_running() { LC_ALL=C lpstat -r 2>/dev/null | grep -qx 'scheduler is running'; }
pdf_queue() { lpstat -e 2>/dev/null | grep -qx PDF; }

if [ "${CI:-}" = true ] && [ "$(id -u)" = 0 ]; then
  need=$(missing_packages)
  if [ -n "$need" ]; then
    echo "test prerequisites: installing $need"
    apt-get update -qq
    # shellcheck disable=SC2086 # one word per package
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $need >/dev/null
  fi
  # A container has no systemd to start CUPS: run the daemon directly and wait for it.
  # (pgrep would also find a dead cupsd left as a zombie, so ask the scheduler instead; a second
  # cupsd beside a live one only fails to bind.)
  if has cupsd && ! cups_running; then
    cupsd
    for _ in $(seq 1 20); do cups_running && break; sleep 0.5; done
  fi
  # cups-pdf makes its queue only when CUPS runs during its install, so make it here if absent.
  # A scheduler that has only just started may not take the new queue at once: try a few times.
  if cups_running && ! pdf_queue && [ -f "$ppd" ]; then
    for _ in $(seq 1 10); do
      lpadmin -p PDF -v cups-pdf:/ -E -P "$ppd" 2>/tmp/lpadmin.err && pdf_queue && break
      sleep 1
      cups_running || cupsd
    done
    pdf_queue || cat /tmp/lpadmin.err >&2
  fi
fi

problems=()
fixes=()
sudo=''
[ "$(id -u)" = 0 ] || sudo='sudo '
need=$(missing_packages)
apt="$need"
if [[ " $need " == *" chromium "* ]] && grep -qs '^ID=ubuntu' /etc/os-release; then
  # Ubuntu has no chromium .deb (its chromium-browser package installs the snap instead).
  apt=$(echo " $need " | sed 's/ chromium / /; s/^ *//; s/ *$//')
  fixes+=("# Ubuntu: install Chromium or Google Chrome and set CHROMIUM_PATH to its binary")
fi
if [ -n "$need" ]; then
  problems+=("missing: $need")
  [ -z "$apt" ] || fixes+=("${sudo}apt-get install -y $apt")
fi
if [ -n "${CHROMIUM_PATH:-}" ] && [ ! -x "$chromium" ]; then
  problems+=("CHROMIUM_PATH=$chromium is not an executable")
  fixes+=("# point CHROMIUM_PATH at a Chromium or Chrome binary, or unset it to use /usr/bin/chromium")
fi
if ! cups_running; then
  problems+=("CUPS is not running")
  fixes+=("${sudo}systemctl start cups    # no systemd (a container): ${sudo}cupsd")
fi
if ! pdf_queue; then
  problems+=('CUPS has no printer queue named PDF')
  fixes+=("${sudo}lpadmin -p PDF -v cups-pdf:/ -E -P $ppd")
fi

if [ ${#problems[@]} -gt 0 ]; then
  {
    echo "The tests cannot run on this machine yet:"
    printf '  - %s\n' "${problems[@]}"
    echo "Fix with (Debian/Ubuntu):"
    printf '  %s\n' "${fixes[@]}"
    echo "Then run npm test again. (CI=true as root installs these itself: see .ci/run.)"
  } >&2
  exit 1
fi
echo "test prerequisites: ok (chromium: $chromium; poppler; CUPS queue PDF; PostgreSQL: $(postgres_bin))"
