#!/usr/bin/env bash
# Installs (or upgrades) DicomArchive as a systemd service. See docs/operations.md.
#
#   sudo installer/linux/install.sh --build            # publish from this source tree, then install
#   sudo installer/linux/install.sh --from DIR         # install a published build (dotnet publish output)
#        installer/linux/install.sh --from DIR --prefix /tmp/root
#                                                      # stage everything under /tmp/root (tests, packaging):
#                                                      # no user, no chown, no systemctl
#
# What goes where (PREFIX is empty for a real install):
#   $PREFIX/opt/dicom-archive/                 the published build, owned by root (replaced on upgrade);
#                                              appsettings.json there is a link to the one in /etc
#   $PREFIX/etc/dicom-archive/appsettings.json the configuration: written once from the shipped defaults,
#                                              never overwritten (upgrade keeps it); appsettings.json.dist
#                                              next to it is the current build's defaults, for comparison
#   $PREFIX/var/lib/dicom-archive/             data: storage/ (the files) and index.sqlite, mode 0750
#   $PREFIX/var/log/dicom-archive/             logs, mode 0750
#   $PREFIX/etc/systemd/system/dicom-archive.service
#
# The installed configuration is the shipped, commented config/appsettings.json with its relative paths
# made absolute for a service (StorageRoot, IndexPath and the log files): every key stays documented in the
# one file the operator edits, and no hidden environment variable in the unit overrides what the file says.
#
# Upgrade: run the script again. The new build is staged next to the old one, the service is stopped,
# the folders are swapped, and the service is started again; configuration and data are kept.
set -euo pipefail

readonly SERVICE=dicom-archive
readonly SERVICE_USER=dicomarchive
readonly INSTALL_DIR=/opt/dicom-archive
readonly CONFIG_DIR=/etc/dicom-archive
readonly DATA_DIR=/var/lib/dicom-archive
readonly LOG_DIR=/var/log/dicom-archive
readonly UNIT_DIR=/etc/systemd/system

script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo_root=$(cd "$script_dir/../.." && pwd)

usage() {
  cat <<EOF
Usage: $0 (--from DIR | --build) [--prefix DIR] [--no-start]
  --from DIR     install the published build in DIR (the output of dotnet publish)
  --build        publish src/DicomArchive.Service from this source tree (Release) and install that
  --prefix DIR   install under DIR instead of / (no system user, no ownership changes, no systemctl)
  --no-start     install and enable, but do not (re)start the service
EOF
}

say() { printf 'install: %s\n' "$*"; }
die() { printf 'install: error: %s\n' "$*" >&2; exit 1; }

from=""
build=0
prefix=""
start=1
while [ $# -gt 0 ]; do
  case "$1" in
    --from) [ $# -ge 2 ] || die "--from needs a folder"; from=$2; shift 2 ;;
    --from=*) from=${1#--from=}; shift ;;
    --build) build=1; shift ;;
    --prefix) [ $# -ge 2 ] || die "--prefix needs a folder"; prefix=$2; shift 2 ;;
    --prefix=*) prefix=${1#--prefix=}; shift ;;
    --no-start) start=0; shift ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument: $1" ;;
  esac
done

if [ -n "$from" ] && [ "$build" -eq 1 ]; then die "give --from DIR or --build, not both"; fi
if [ -z "$from" ] && [ "$build" -eq 0 ]; then usage >&2; die "give --from DIR or --build"; fi

# Staging mode (--prefix): everything lands under the prefix and nothing touches the running system.
system=1
if [ -n "$prefix" ]; then
  mkdir -p "$prefix"
  prefix=$(cd "$prefix" && pwd -P)
  [ "$prefix" != "/" ] || die "--prefix / is a system install: run without --prefix"
  system=0
  say "staging into $prefix (no system user, no ownership changes, no systemctl)"
elif [ "$(id -u)" -ne 0 ]; then
  die "a system install needs root (sudo $0 ...), or use --prefix DIR to stage into a folder"
fi

workdir=$(mktemp -d)
trap 'rm -rf "$workdir"' EXIT

if [ "$build" -eq 1 ]; then
  command -v dotnet >/dev/null 2>&1 || die "--build needs the .NET SDK (dotnet) on the PATH"
  [ -f "$repo_root/src/DicomArchive.Service/DicomArchive.Service.csproj" ] || die "--build must run from a source tree ($repo_root has no src/DicomArchive.Service)"
  say "publishing src/DicomArchive.Service (Release)"
  # Its own artifacts folder: a build run with sudo leaves no root-owned bin/ or obj/ in the source tree.
  dotnet publish "$repo_root/src/DicomArchive.Service" -c Release -o "$workdir/publish" \
    --artifacts-path "$workdir/artifacts" --nologo >/dev/null \
    || die "dotnet publish failed (run it by hand to see why)"
  from="$workdir/publish"
fi

[ -d "$from" ] || die "--from $from is not a folder"
from=$(cd "$from" && pwd -P)
[ -x "$from/$SERVICE" ] || die "$from has no executable '$SERVICE' (expected the output of dotnet publish src/DicomArchive.Service)"
[ -f "$from/appsettings.json" ] || die "$from has no appsettings.json (the shipped defaults)"
[ -f "$script_dir/$SERVICE.service" ] || die "$script_dir/$SERVICE.service is missing"

# The build must run here before anything is replaced: a missing .NET runtime is caught now, not at start.
if ! version=$("$from/$SERVICE" --version 2>&1); then
  die "$from/$SERVICE --version failed: $version
(the .NET 10 runtime must be installed, e.g. the dotnet-runtime-10.0 package)"
fi
say "installing $SERVICE $version"

# --- the service account --------------------------------------------------------------------------------
if [ "$system" -eq 1 ]; then
  if id -u "$SERVICE_USER" >/dev/null 2>&1; then
    say "system user $SERVICE_USER exists"
  else
    useradd --system --no-create-home --home-dir "$DATA_DIR" --shell /usr/sbin/nologin --user-group \
      --comment "DicomArchive service" "$SERVICE_USER"
    say "created system user $SERVICE_USER"
  fi
else
  say "note: --prefix given, system user $SERVICE_USER not created and ownership left as is"
fi

# The account's own group (created with it by useradd --user-group, or whatever an existing account has).
service_group=$SERVICE_USER
if [ "$system" -eq 1 ]; then service_group=$(id -gn "$SERVICE_USER"); fi

# owner USER:GROUP PATH: chown in a system install only.
owner() { if [ "$system" -eq 1 ]; then chown "$1" "$2"; fi; }

# --- configuration (written once, kept on upgrade) ------------------------------------------------------
# The shipped template's relative paths ("./data/...", "./logs/...") become the service's folders. The
# keys that must come out right are checked, so a change of config/appsettings.json that would leave a
# development path in a service install fails here rather than at the hospital.
service_config() {
  local file=$1
  sed -i -e "s#\"\./data/#\"$DATA_DIR/#g" -e "s#\"\./logs/#\"$LOG_DIR/#g" "$file"
  require_line "$file" "\"StorageRoot\": \"$DATA_DIR/storage\""
  require_line "$file" "\"IndexPath\": \"$DATA_DIR/index.sqlite\""
  require_line "$file" "\"path\": \"$LOG_DIR/$SERVICE-.log\""
  if grep -qF '"./' "$file"; then
    die "the shipped appsettings.json still has a relative path after the rewrite: $(grep -F '"./' "$file" | head -1)"
  fi
}

require_line() {
  grep -qF "$2" "$1" || die "the shipped appsettings.json did not give $2: update install.sh"
}

config_dir="$prefix$CONFIG_DIR"
config="$config_dir/appsettings.json"
mkdir -p "$config_dir"
chmod 0750 "$config_dir"
owner "root:$service_group" "$config_dir"

defaults="$workdir/appsettings.json"
cp "$from/appsettings.json" "$defaults"
service_config "$defaults"

install -m 0640 "$defaults" "$config_dir/appsettings.json.dist"
owner "root:$service_group" "$config_dir/appsettings.json.dist"
if [ -e "$config" ]; then
  say "kept $config (this build's defaults are in appsettings.json.dist)"
else
  install -m 0640 "$defaults" "$config"
  owner "root:$service_group" "$config"
  say "wrote $config"
fi

# --- data and logs (readable by the service account only) -----------------------------------------------
# Only the top folders are set: an upgrade must not walk (or re-own) a large archive.
for dir in "$prefix$DATA_DIR" "$prefix$LOG_DIR"; do
  mkdir -p "$dir"
  chmod 0750 "$dir"
  owner "$SERVICE_USER:$service_group" "$dir"
done

# --- binaries: staged beside the old ones, swapped while the service is stopped -------------------------
install_dir="$prefix$INSTALL_DIR"
staged="$install_dir.new"
rm -rf "$staged"
mkdir -p "$staged"
cp -R "$from/." "$staged/"
# The build's own appsettings.json would point verbs run by hand at ./data: make it the installed one.
rm -f "$staged/appsettings.json"
ln -s "$CONFIG_DIR/appsettings.json" "$staged/appsettings.json"
if [ -f "$repo_root/docs/operations.md" ]; then
  mkdir -p "$staged/docs"
  cp "$repo_root/docs/operations.md" "$staged/docs/"
fi
chmod -R u=rwX,go=rX "$staged"
chmod 0755 "$staged/$SERVICE"
if [ "$system" -eq 1 ]; then chown -R -h root:root "$staged"; fi

systemd_running=0
if [ "$system" -eq 1 ] && [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
  systemd_running=1
fi

if [ "$systemd_running" -eq 1 ] && systemctl is-active --quiet "$SERVICE"; then
  say "stopping $SERVICE for the upgrade"
  systemctl stop "$SERVICE"
fi

if [ -d "$install_dir" ]; then
  rm -rf "$install_dir.old"
  mv "$install_dir" "$install_dir.old"
fi
mv "$staged" "$install_dir"
rm -rf "$install_dir.old"
say "installed the build in $install_dir"

# --- the systemd unit -----------------------------------------------------------------------------------
unit_dir="$prefix$UNIT_DIR"
mkdir -p "$unit_dir"
install -m 0644 "$script_dir/$SERVICE.service" "$unit_dir/$SERVICE.service"
say "installed $unit_dir/$SERVICE.service"

if [ "$system" -eq 0 ]; then
  say "done (staged; nothing was started)"
  exit 0
fi

if [ "$systemd_running" -eq 0 ]; then
  say "note: systemd is not running here; enable and start the service later with:"
  say "  systemctl daemon-reload && systemctl enable --now $SERVICE"
  exit 0
fi

systemctl daemon-reload
systemctl enable --quiet "$SERVICE"
if [ "$start" -eq 0 ]; then
  say "enabled $SERVICE; start it with: systemctl start $SERVICE"
  exit 0
fi

systemctl restart "$SERVICE" || die "$SERVICE did not start: see systemctl status $SERVICE and journalctl -u $SERVICE"
if systemctl is-active --quiet "$SERVICE"; then
  say "$SERVICE is running (logs: journalctl -u $SERVICE, $LOG_DIR)"
else
  die "$SERVICE did not start: see systemctl status $SERVICE and journalctl -u $SERVICE"
fi
