#!/usr/bin/env bash
# Removes the shopify-whatsapp appliance installed by install.sh: stops and disables the
# service, removes the unit, the binary and the Caddy configuration (putting back a Caddyfile
# that was there before). The data (/var/lib/shopify-whatsapp: data, backups, browser
# profiles), the settings (/etc/shopify-whatsapp) and the system user are KEPT unless --purge.
# Packages installed with apt stay installed.
#
#   sudo appliance/uninstall.sh            keep the data
#   sudo appliance/uninstall.sh --purge    delete the data, backups, settings and the user too
#
# Options:
#   --purge        also delete /var/lib/shopify-whatsapp, /etc/shopify-whatsapp and the user
#   --root DIR     uninstall from DIR instead of / (no systemctl, no userdel)
#   --prefix DIR   where bin/ is (default /usr/local)
set -euo pipefail

NAME=shopify-whatsapp
STATE=/var/lib/shopify-whatsapp
ETC=/etc/shopify-whatsapp
UNIT=/etc/systemd/system/shopify-whatsapp.service
CADDY_DROPIN=/etc/systemd/system/caddy.service.d/shopify-whatsapp.conf
CADDY_MARKER="Caddy in front of shopify-whatsapp"

root=/
prefix=/usr/local
purge=0

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; }
die() { echo "uninstall.sh: $*" >&2; exit 1; }
say() { echo "==> $*"; }

while [ $# -gt 0 ]; do
  case "$1" in
    --purge) purge=1; shift ;;
    --root) [ $# -ge 2 ] || die "--root needs a value"; root="$2"; shift 2 ;;
    --prefix) [ $# -ge 2 ] || die "--prefix needs a value"; prefix="$2"; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) die "unknown option $1 (see --help)" ;;
  esac
done

R="${root%/}"
in_root() { [ -n "$R" ]; }
if ! in_root && [ "$(id -u)" -ne 0 ]; then die "run as root (sudo), or use --root DIR"; fi

if in_root; then
  say "services: skipped (--root)"
elif systemctl list-unit-files "$NAME.service" >/dev/null 2>&1; then
  say "stopping and disabling $NAME"
  systemctl disable --now "$NAME" 2>/dev/null || true
fi

rm -f "$R$UNIT" "$R$prefix/bin/$NAME" "$R$prefix/bin/$NAME.previous" "$R$prefix/bin/$NAME.new"
say "removed the unit and the binary"

caddyfile="$R/etc/caddy/Caddyfile"
caddy_touched=0
if [ -f "$caddyfile" ] && grep -q "$CADDY_MARKER" "$caddyfile"; then
  rm -f "$caddyfile"
  caddy_touched=1
fi
if [ -f "$caddyfile.before-$NAME" ]; then
  mv "$caddyfile.before-$NAME" "$caddyfile"
  say "put back the Caddyfile that was there before"
  caddy_touched=1
fi
if [ -f "$R$CADDY_DROPIN" ]; then
  rm -f "$R$CADDY_DROPIN"
  rmdir "$(dirname "$R$CADDY_DROPIN")" 2>/dev/null || true
  caddy_touched=1
fi

if ! in_root; then
  systemctl daemon-reload
  if [ "$caddy_touched" -eq 1 ] && systemctl is-active --quiet caddy; then
    if [ -f "$caddyfile" ]; then systemctl restart caddy; else systemctl stop caddy; fi
  fi
fi

if [ "$purge" -eq 1 ]; then
  rm -rf "$R$STATE" "$R$ETC"
  say "purged $STATE and $ETC"
  if ! in_root && getent passwd "$NAME" >/dev/null; then
    userdel "$NAME"
    say "removed the system user $NAME"
  fi
else
  say "kept the data in $STATE and the settings in $ETC (delete them with --purge)"
fi
