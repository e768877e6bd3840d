#!/usr/bin/env bash
# Removes the DicomArchive service. See docs/operations.md.
#
#   sudo installer/linux/uninstall.sh            # stop, disable, remove the unit and /opt/dicom-archive;
#                                                # keeps configuration, data (images and index) and logs
#   sudo installer/linux/uninstall.sh --purge    # also deletes /etc/dicom-archive, /var/lib/dicom-archive,
#                                                # /var/log/dicom-archive and the system user: the images are gone
#        installer/linux/uninstall.sh --prefix /tmp/root [--purge]
#                                                # the same under a staging root (no systemctl, no userdel)
set -euo pipefail

readonly SERVICE=dicom-archive
readonly SERVICE_USER=dicomarchive
readonly INSTALL_DIR=/opt/dicom-archive
readonly CONFIG_DIR=/etc/dicom-archive
readonly DATA_DIR=/var/lib/dicom-archive
readonly LOG_DIR=/var/log/dicom-archive
readonly UNIT_DIR=/etc/systemd/system

usage() {
  cat <<EOF
Usage: $0 [--purge] [--prefix DIR]
  --purge        also delete configuration, data (every stored image and the index), logs and the system user
  --prefix DIR   remove an installation staged under DIR (install.sh --prefix DIR)
EOF
}

say() { printf 'uninstall: %s\n' "$*"; }
die() { printf 'uninstall: error: %s\n' "$*" >&2; exit 1; }

purge=0
prefix=""
while [ $# -gt 0 ]; do
  case "$1" in
    --purge) purge=1; shift ;;
    --prefix) [ $# -ge 2 ] || die "--prefix needs a folder"; prefix=$2; shift 2 ;;
    --prefix=*) prefix=${1#--prefix=}; shift ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument: $1" ;;
  esac
done

system=1
if [ -n "$prefix" ]; then
  [ -d "$prefix" ] || die "--prefix $prefix is not a folder"
  prefix=$(cd "$prefix" && pwd -P)
  [ "$prefix" != "/" ] || die "--prefix / is the system installation: run without --prefix"
  system=0
elif [ "$(id -u)" -ne 0 ]; then
  die "removing the system installation needs root (sudo $0 ...)"
fi

unit="$prefix$UNIT_DIR/$SERVICE.service"

if [ "$system" -eq 1 ] && [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
  if [ -e "$unit" ]; then
    say "stopping and disabling $SERVICE"
    # SIGTERM: running associations end gracefully (TimeoutStopSec bounds the wait).
    systemctl disable --now "$SERVICE" || true
  fi
  rm -f "$unit"
  systemctl daemon-reload
  systemctl reset-failed "$SERVICE" >/dev/null 2>&1 || true
else
  rm -f "$unit"
fi
say "removed the unit $unit"

rm -rf "$prefix$INSTALL_DIR" "$prefix$INSTALL_DIR.new" "$prefix$INSTALL_DIR.old"
say "removed $prefix$INSTALL_DIR"

if [ "$purge" -eq 0 ]; then
  say "kept the configuration ($prefix$CONFIG_DIR), data ($prefix$DATA_DIR) and logs ($prefix$LOG_DIR);"
  say "install.sh picks them up again, uninstall.sh --purge deletes them"
  exit 0
fi

rm -rf "$prefix$CONFIG_DIR" "$prefix$DATA_DIR" "$prefix$LOG_DIR"
say "purged $prefix$CONFIG_DIR, $prefix$DATA_DIR and $prefix$LOG_DIR"

if [ "$system" -eq 1 ] && id -u "$SERVICE_USER" >/dev/null 2>&1; then
  userdel "$SERVICE_USER"
  say "removed the system user $SERVICE_USER"
fi
