#!/usr/bin/env bash
# Installs or upgrades the shopify-whatsapp appliance on a Debian/Ubuntu VPS. Idempotent: a
# second run changes only what differs, keeps the data (/var/lib/shopify-whatsapp) and the
# settings (/etc/shopify-whatsapp/env), and keeps the replaced binary for a rollback.
#
#   sudo appliance/install.sh --domain orders.example.com             first install
#   sudo appliance/install.sh --binary /path/to/new/shopify-whatsapp  upgrade (backs up first)
#   appliance/install.sh --root /tmp/r --domain x.example --binary B  into a throwaway root
#
# Options:
#   --domain D         public host name; Caddy gets an HTTPS certificate for it (remembered)
#   --binary PATH      the binary to install (default: .build/release/shopify-whatsapp of this
#                      checkout, built with `swift build -c release` when missing)
#   --root DIR         install under DIR instead of /: no apt, no user, no systemctl, no chown
#   --prefix DIR       where bin/ goes (default /usr/local)
#   --backup-every D   scheduled backups, e.g. 24h or 6h; "off" disables (default 24h, remembered)
#   --backup-keep N    scheduled backups kept (default 7, remembered)
#   --no-caddy         no reverse proxy (bring your own TLS in front of 127.0.0.1:8000)
#   --no-chromium      no Chromium (the WhatsApp Web provider is then unavailable)
#   --skip-apt         install no packages
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(dirname "$here")"
# shellcheck source=appliance/lib.sh
. "$here/lib.sh"

NAME=shopify-whatsapp
STATE=/var/lib/shopify-whatsapp
ETC=/etc/shopify-whatsapp
UNIT=/etc/systemd/system/shopify-whatsapp.service
CADDY_DROPIN=/etc/systemd/system/caddy.service.d/shopify-whatsapp.conf
CADDY_MARKER="Caddy in front of shopify-whatsapp"

root=/
prefix=/usr/local
domain=""
binary=""
backup_every=""
backup_keep=""
with_caddy=1
with_chromium=1
skip_apt=0

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; }
die() { echo "install.sh: $*" >&2; exit 1; }
say() { echo "==> $*"; }
need_value() { if [ $# -lt 2 ] || [ -z "$2" ]; then die "$1 needs a value"; fi; }

while [ $# -gt 0 ]; do
  case "$1" in
    --domain) need_value "$@"; domain="$2"; shift 2 ;;
    --binary) need_value "$@"; binary="$2"; shift 2 ;;
    --root) need_value "$@"; root="$2"; shift 2 ;;
    --prefix) need_value "$@"; prefix="$2"; shift 2 ;;
    --backup-every) need_value "$@"; backup_every="$2"; shift 2 ;;
    --backup-keep) need_value "$@"; backup_keep="$2"; shift 2 ;;
    --no-caddy) with_caddy=0; shift ;;
    --no-chromium) with_chromium=0; shift ;;
    --skip-apt) skip_apt=1; shift ;;
    -h | --help) usage; exit 0 ;;
    *) die "unknown option $1 (see --help)" ;;
  esac
done

# R: the install root without a trailing slash ("" for the real system).
R="${root%/}"
if [ -n "$R" ]; then
  mkdir -p "$R"
  R="$(cd "$R" && pwd)"
fi
in_root() { [ -n "$R" ]; }
if ! in_root && [ "$(id -u)" -ne 0 ]; then die "run as root (sudo), or use --root DIR"; fi
[ -n "$backup_keep" ] && { [[ "$backup_keep" =~ ^[1-9][0-9]*$ ]] || die "--backup-keep must be a number >= 1"; }

# --- The binary -------------------------------------------------------------------------------
if [ -z "$binary" ]; then
  binary="$repo/.build/release/$NAME"
  if [ ! -x "$binary" ]; then
    command -v swift >/dev/null 2>&1 || die "no --binary given and no swift to build one"
    say "building the release binary"
    (cd "$repo" && swift build -c release --product "$NAME")
    binary="$(cd "$repo" && swift build -c release --show-bin-path)/$NAME"
  fi
fi
[ -x "$binary" ] || die "$binary is not an executable"

# --- Packages ---------------------------------------------------------------------------------
# The runtime libraries the binary links, plus Chromium and its driver for WhatsApp Web, and Caddy.
# Ubuntu 24.04 renamed some libraries with a t64 suffix: take that name when the plain one is gone.
resolve_package() {
  if apt-cache show "$1" >/dev/null 2>&1; then echo "$1"
  elif apt-cache show "${1}t64" >/dev/null 2>&1; then echo "${1}t64"
  else echo "$1"; fi
}
if in_root || [ "$skip_apt" -eq 1 ]; then
  say "packages: skipped ($(in_root && echo "--root" || echo "--skip-apt"))"
else
  say "packages"
  apt-get update -qq
  runtime=(ca-certificates curl tzdata)
  for p in libargon2-1 zlib1g libssl3 libcurl4; do runtime+=("$(resolve_package "$p")"); done
  [ "$with_chromium" -eq 1 ] && runtime+=(chromium chromium-driver fonts-liberation)
  [ "$with_caddy" -eq 1 ] && runtime+=(caddy)
  ensure_packages "${runtime[@]}"
fi

# --- System user and folders ------------------------------------------------------------------
if in_root; then
  say "system user $NAME: skipped (--root)"
elif getent passwd "$NAME" >/dev/null; then
  say "system user $NAME: exists"
else
  say "system user $NAME: creating"
  useradd --system --user-group --home-dir "$STATE" --no-create-home --shell /usr/sbin/nologin "$NAME"
fi
say "folders under $STATE (0700)"
install -d -m 0700 "$R$STATE" "$R$STATE/data" "$R$STATE/backups" "$R$STATE/chrome_data"
if ! in_root; then chown -R "$NAME:$NAME" "$STATE"; fi

# --- Settings ---------------------------------------------------------------------------------
# Values of an earlier run are kept unless given again; lines added by the operator stay as they are.
envfile="$R$ETC/env"
has_key() { [ -f "$envfile" ] && grep -q "^$1=" "$envfile"; }
current() { sed -n "s/^$1=//p" "$envfile" | tail -n 1; }
[ -z "$domain" ] && has_key DOMAIN && domain="$(current DOMAIN)"
if [ -z "$backup_every" ]; then
  if has_key BACKUP_EVERY; then backup_every="$(current BACKUP_EVERY)"; [ -z "$backup_every" ] && backup_every=off
  else backup_every=24h; fi
fi
[ -z "$backup_keep" ] && { if has_key BACKUP_KEEP; then backup_keep="$(current BACKUP_KEEP)"; else backup_keep=7; fi; }
if [ "$with_caddy" -eq 1 ] && [ -z "$domain" ]; then die "--domain is required (the host name Caddy gets a certificate for), or --no-caddy"; fi

install -d -m 0755 "$R$ETC"
tmp_env="$(mktemp "$R$ETC/.env.XXXXXX")"
{
  echo "# shopify-whatsapp settings (environment of the service). install.sh manages DOMAIN, PUBLIC_URL,"
  echo "# BACKUP_EVERY and BACKUP_KEEP; other lines (LOG_LEVEL=debug, MAX_BROWSERS=2, ...) are kept."
  if [ -f "$envfile" ]; then grep -v -e '^DOMAIN=' -e '^PUBLIC_URL=' -e '^BACKUP_EVERY=' -e '^BACKUP_KEEP=' -e '^# shopify-whatsapp settings' -e '^# BACKUP_EVERY and BACKUP_KEEP' "$envfile" || true; fi
  [ -n "$domain" ] && echo "DOMAIN=$domain" && echo "PUBLIC_URL=https://$domain"
  if [ "$backup_every" = off ]; then echo "BACKUP_EVERY="; else echo "BACKUP_EVERY=$backup_every"; fi
  echo "BACKUP_KEEP=$backup_keep"
} >"$tmp_env"
chmod 0644 "$tmp_env"
settings_changed=0
if [ -f "$envfile" ] && cmp -s "$tmp_env" "$envfile"; then rm -f "$tmp_env"; else mv -f "$tmp_env" "$envfile"; settings_changed=1; fi
say "settings $ETC/env ($([ "$settings_changed" -eq 1 ] && echo written || echo unchanged))"

# --- Binary (the replaced one is kept as .previous for a rollback) --------------------------------
target="$R$prefix/bin/$NAME"
upgraded=0
if [ -f "$target" ] && cmp -s "$binary" "$target"; then
  say "binary $prefix/bin/$NAME: unchanged"
else
  if [ -f "$target" ]; then
    upgraded=1
    if ! in_root && [ -f "$STATE/data/format.json" ]; then
      # A backup taken by the running version before the new one touches the data.
      out="$STATE/backups/pre-upgrade-$(date -u +%Y%m%d-%H%M%S).tar.gz"
      say "backup before the upgrade: $out"
      runuser -u "$NAME" -- "$target" backup --data-dir "$STATE/data" --out "$out" ||
        echo "warning: the pre-upgrade backup failed; continuing (stop now with Ctrl-C if you need one)" >&2
    fi
    cp -p "$target" "$target.previous"
  fi
  install -d -m 0755 "$R$prefix/bin"
  install -m 0755 "$binary" "$target.new"
  mv -f "$target.new" "$target"
  say "binary $prefix/bin/$NAME: $([ "$upgraded" -eq 1 ] && echo "upgraded (previous kept as $NAME.previous)" || echo installed)"
fi

# --- systemd unit -----------------------------------------------------------------------------
install_if_changed() { # SOURCE DEST MODE: installs and prints "changed" when DEST differs
  if [ -f "$2" ] && cmp -s "$1" "$2"; then return 0; fi
  install -d -m 0755 "$(dirname "$2")"
  install -m "$3" "$1" "$2.new"
  mv -f "$2.new" "$2"
  echo changed
}
unit_source="$(mktemp)"
trap 'rm -f "$unit_source"' EXIT
sed "s|/usr/local/bin/$NAME|$prefix/bin/$NAME|g" "$here/$NAME.service" >"$unit_source"
unit_changed="$(install_if_changed "$unit_source" "$R$UNIT" 0644)"
say "systemd unit $UNIT (${unit_changed:-unchanged})"

# --- Caddy ------------------------------------------------------------------------------------
caddy_changed=""
if [ "$with_caddy" -eq 1 ]; then
  caddyfile="$R/etc/caddy/Caddyfile"
  if [ -f "$caddyfile" ] && ! grep -q "$CADDY_MARKER" "$caddyfile" && [ ! -f "$caddyfile.before-$NAME" ]; then
    mv "$caddyfile" "$caddyfile.before-$NAME"
    say "the existing Caddyfile was kept as Caddyfile.before-$NAME"
  fi
  caddy_changed="$(install_if_changed "$here/Caddyfile" "$caddyfile" 0644)"
  dropin="$(mktemp)"
  printf '# Written by shopify-whatsapp install.sh: the domain the Caddyfile serves.\n[Service]\nEnvironment=DOMAIN=%s\n' "$domain" >"$dropin"
  dropin_changed="$(install_if_changed "$dropin" "$R$CADDY_DROPIN" 0644)"
  rm -f "$dropin"
  [ -n "$dropin_changed" ] && caddy_changed=changed
  say "Caddy for https://$domain (${caddy_changed:-unchanged})"
fi

# --- Start ------------------------------------------------------------------------------------
if in_root; then
  caddy_step=""
  [ "$with_caddy" -eq 1 ] && caddy_step="; systemctl enable --now caddy"
  say "services: skipped (--root): systemctl daemon-reload; systemctl enable --now $NAME$caddy_step"
else
  systemctl daemon-reload
  systemctl enable --quiet "$NAME"
  if [ "$upgraded" -eq 1 ] || [ -n "$unit_changed" ] || [ "$settings_changed" -eq 1 ]; then
    say "restarting $NAME"
    systemctl restart "$NAME"
  else
    systemctl start "$NAME"
  fi
  if [ "$with_caddy" -eq 1 ]; then
    systemctl enable --quiet caddy
    if [ -n "$caddy_changed" ]; then systemctl restart caddy; else systemctl start caddy; fi
  fi
  say "waiting for http://127.0.0.1:8000/healthz"
  for _ in $(seq 1 60); do
    if curl -fsS http://127.0.0.1:8000/healthz >/dev/null 2>&1; then break; fi
    sleep 1
  done
  curl -fsS http://127.0.0.1:8000/healthz >/dev/null || die "the service does not answer; see: journalctl -u $NAME -n 50"
fi

say "done. $([ -n "$domain" ] && echo "Sign up at https://$domain/ ; ")logs: journalctl -u $NAME -f"
say "backups: $STATE/backups (every $backup_every, $backup_keep kept); restore drill: see README, section Backups"
