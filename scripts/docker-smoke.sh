#!/usr/bin/env bash
# Builds the Docker image for real and smoke-tests what it holds.
#
# Containers cannot be started on the project's machines (no Docker engine, and podman may not set
# rlimits there), so the script runs the image's own CMD, with the image's ENV, WORKDIR and USER,
# under chroot in the image's file system, on a temporary /data. Against that process it checks
# health, a create and an update in each vendor API, the data after a restart on the same /data,
# the HEALTHCHECK command's exit code, the process's uid, and exit 0 on SIGTERM; and in the image
# itself: no dev dependencies, no TypeScript sources.
#
# Engine: docker when `docker info` answers, else podman (`podman build --isolation chroot
# --network host`) on a local Node base image made by ../shared/tools/local-node-image.sh, which also
# installs podman and debootstrap when they are missing. Needs root (chroot, mount).
#
# Environment: NODE_IMAGE (base image; default: docker → the Dockerfile's default, podman → the
# local image), SMOKE_IMAGE (tag to build), SMOKE_SHARED (the shared/ folder; default ../shared).
# SC2015: `check && ok || bad` is intended (ok always succeeds). SC2016: the sh -c scripts expand in the image.
# shellcheck disable=SC2015,SC2016
set -euo pipefail
cd "$(dirname "$0")/.."
# Bounded: the base image takes at most 30 min, a build 40 min; the rest is seconds.
repo=$PWD
image=${SMOKE_IMAGE:-localhost/userdouble:smoke}
shared=${SMOKE_SHARED:-$repo/../shared}

say () { printf 'docker-smoke: %s\n' "$*" >&2; }
die () { say "error: $*"; exit 1; }
passed=0
failed=0
ok () { passed=$((passed + 1)); say "ok   $1"; }
bad () { failed=$((failed + 1)); say "FAIL $1${2:+: $2}"; }

[ "$(id -u)" = 0 ] || die 'run as root: the image runs under chroot, with a bind-mounted /data'
command -v node >/dev/null || die 'node is needed on the host to drive the checks'

tmp=$(mktemp -d)
root=
rootfs_kind=
data_mounted=
pid=
cleanup () {
  local rc=$?
  if [ -n "$pid" ]; then kill -KILL -- "-$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  if [ -n "$data_mounted" ]; then umount "$root/data" 2>/dev/null || umount -l "$root/data" 2>/dev/null || true; fi
  if [ "$rootfs_kind" = podman ]; then podman image unmount "$image" >/dev/null 2>&1 || true; fi
  rm -rf "$tmp"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---- build --------------------------------------------------------------------------------------
if command -v docker >/dev/null && timeout 20 docker info >/dev/null 2>&1; then
  engine=docker
  say "building $image with docker"
  timeout 2400 docker build ${NODE_IMAGE:+--build-arg "NODE_IMAGE=$NODE_IMAGE"} -t "$image" . >&2
else
  engine=podman
  if [ -z "${NODE_IMAGE:-}" ]; then
    [ -f "$shared/tools/local-node-image.sh" ] || die "no docker engine and no $shared/tools/local-node-image.sh to make a local base image"
    NODE_IMAGE=$(timeout 1800 bash "$shared/tools/local-node-image.sh")
  fi
  command -v podman >/dev/null || die 'podman is not installed'
  say "building $image with podman on $NODE_IMAGE"
  # docker format: the OCI image format has no HEALTHCHECK, podman would drop it.
  timeout 2400 podman build --isolation chroot --network host --format docker \
    --build-arg "NODE_IMAGE=$NODE_IMAGE" -t "$image" . >&2
fi

# ---- the image's file system and configuration ---------------------------------------------------
if [ "$engine" = podman ]; then
  root=$(podman image mount "$image")
  rootfs_kind=podman
  podman image inspect "$image" > "$tmp/inspect.json"
else
  root=$tmp/rootfs
  mkdir -p "$root"
  cid=$(docker create "$image")
  timeout 600 docker export "$cid" | tar -x -C "$root"
  docker rm "$cid" >/dev/null
  docker image inspect "$image" > "$tmp/inspect.json"
fi
[ -d "$root/app" ] || [ -d "$root/usr" ] || die "no file system at $root"

# One value per line, NUL-separated lists in files: Env, Cmd and the health check's command.
node - "$tmp" <<'EOF'
const fs = require('node:fs')
const dir = process.argv[2]
const info = JSON.parse(fs.readFileSync(`${dir}/inspect.json`, 'utf8'))[0]
const c = info.Config ?? {}
// docker keeps it in Config, podman at the top level.
const hc = c.Healthcheck ?? info.Healthcheck ?? null
const put = (name, list) => fs.writeFileSync(`${dir}/${name}`, list.map(s => s + '\0').join(''))
put('env', c.Env ?? [])
put('cmd', (c.Entrypoint ?? []).concat(c.Cmd ?? []))
const test = hc?.Test ?? []
put('health', test[0] === 'CMD' ? test.slice(1) : test[0] === 'CMD-SHELL' ? ['/bin/sh', '-c', test[1]] : [])
fs.writeFileSync(`${dir}/config.json`, JSON.stringify({
  user: c.User ?? '',
  workdir: c.WorkingDir || '/',
  entrypoint: c.Entrypoint ?? null,
  cmd: c.Cmd ?? [],
  exposed: Object.keys(c.ExposedPorts ?? {}),
  volumes: Object.keys(c.Volumes ?? {}),
  healthcheck: hc
}))
EOF
mapfile -d '' image_env < "$tmp/env"
mapfile -d '' cmd < "$tmp/cmd"
mapfile -d '' health_cmd < "$tmp/health"
cfg () { node -e 'const c = require(process.argv[1]); const v = c[process.argv[2]]; console.log(typeof v === "string" ? v : JSON.stringify(v))' "$tmp/config.json" "$1"; }
user=$(cfg user)
workdir=$(cfg workdir)
env_of () { local kv; for kv in "${image_env[@]}"; do [ "${kv%%=*}" = "$1" ] && { printf '%s' "${kv#*=}"; return; }; done; }

# ---- static checks on the image --------------------------------------------------------------------
[ "$(cfg cmd)" = '["node","dist/server.js"]' ] && [ "$(cfg entrypoint)" = null ] \
  && ok 'CMD is exec-form node dist/server.js, no entrypoint' || bad 'CMD' "entrypoint $(cfg entrypoint), cmd $(cfg cmd)"
[ "$(env_of HOST)" = 0.0.0.0 ] && [ "$(env_of PORT)" = 8080 ] && [ "$(env_of DATABASE_PATH)" = /data/userdouble.sqlite ] \
  && ok 'ENV HOST=0.0.0.0 PORT=8080 DATABASE_PATH=/data/userdouble.sqlite' || bad 'ENV' "${image_env[*]}"
[ "$(cfg exposed)" = '["8080/tcp"]' ] && [ "$(cfg volumes)" = '["/data"]' ] \
  && ok 'EXPOSE 8080, VOLUME /data' || bad 'EXPOSE/VOLUME' "$(cfg exposed) $(cfg volumes)"
[ ${#health_cmd[@]} -gt 0 ] && ok "HEALTHCHECK present ($(cfg healthcheck | cut -c1-60)…)" || bad 'HEALTHCHECK' 'missing from the image configuration'

# The user, resolved in the image's own passwd and group files.
uid=${user%%:*}
gid=
if [ -n "$uid" ] && ! [[ $uid =~ ^[0-9]+$ ]]; then
  line=$(grep -m1 "^$uid:" "$root/etc/passwd" || true)
  [ -n "$line" ] || die "user $uid is not in the image's /etc/passwd"
  uid=$(cut -d: -f3 <<< "$line")
  gid=$(cut -d: -f4 <<< "$line")
fi
[ -n "$uid" ] || uid=0
if [[ $user == *:* ]]; then
  g=${user#*:}
  if [[ $g =~ ^[0-9]+$ ]]; then gid=$g; else gid=$(awk -F: -v g="$g" '$1 == g { print $3 }' "$root/etc/group"); fi
fi
[ -n "$gid" ] || gid=$(awk -F: -v u="$uid" '$3 == u { print $4; exit }' "$root/etc/passwd")
[ -n "$gid" ] || gid=$uid
[ "$uid" != 0 ] && ok "USER $user is not root (uid $uid, gid $gid)" || bad 'USER' "runs as root ('$user')"
[ "$(stat -c %u "$root/data" 2>/dev/null)" = "$uid" ] && ok "/data belongs to uid $uid" || bad '/data owner' "$(stat -c %U:%u "$root/data" 2>&1)"

# No dev dependency: every package the lockfile marks dev-only must be absent from the image.
devs=$(node - "$repo/package-lock.json" "$root$workdir" <<'EOF'
const fs = require('node:fs')
const [lockPath, app] = process.argv.slice(2)
const lock = JSON.parse(fs.readFileSync(lockPath, 'utf8'))
const found = Object.entries(lock.packages ?? {})
  .filter(([path, p]) => path.startsWith('node_modules/') && p.dev === true && fs.existsSync(`${app}/${path}`))
  .map(([path]) => path.slice('node_modules/'.length))
const marked = Object.values(lock.packages ?? {}).filter(p => p.dev === true).length
if (marked === 0) found.push('(the lockfile marks no package dev-only: cannot check)')
console.log(found.slice(0, 10).join(' '))
EOF
)
missing_named=
for p in typescript vitest tsx eslint; do [ -e "$root$workdir/node_modules/$p" ] && missing_named+=" $p"; done
[ -z "$devs" ] && [ -z "$missing_named" ] && ok 'no dev dependencies in node_modules (checked against the lockfile)' \
  || bad 'dev dependencies in the image' "$devs$missing_named"
tsfiles=$(find "$root$workdir" \( -name '*.ts' -o -name '*.mts' -o -name '*.cts' -o -name '*.tsx' \) \
  ! -name '*.d.ts' ! -name '*.d.mts' ! -name '*.d.cts' -not -path '*/node_modules/*' -print | head -5)
[ ! -e "$root$workdir/src" ] && [ ! -e "$root$workdir/test" ] && [ -z "$tsfiles" ] && [ -f "$root$workdir/dist/server.js" ] \
  && ok "no TypeScript sources in $workdir (no src/, test/, *.ts), dist/server.js present" \
  || bad 'TypeScript sources in the image' "$(ls -d "$root$workdir"/src "$root$workdir"/test 2>/dev/null) $tsfiles"

# ---- running the image's CMD -------------------------------------------------------------------
mkdir -p "$tmp/data"
chown "$uid:$gid" "$tmp/data"
chmod 700 "$tmp/data"
mount --bind "$tmp/data" "$root/data"
data_mounted=1

zd_email=agent@smoke.test
zd_token=smokeZendeskToken$RANDOM$RANDOM
uc_key=$(node -e 'const a = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"; let s = ""; for (const b of require("node:crypto").randomBytes(64)) s += a[b % a.length]; console.log(s)')
free_port () { node -e 'const s = require("node:net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close() })'; }

# Runs argv inside the image as the image's user, in its WORKDIR, with its ENV and the run's overrides.
# chroot execs env, env execs sh, sh execs argv: the PID that `&` reports is the command's own.
in_image () {
  timeout -k 5 20 chroot --userspec="$uid:$gid" --groups="$gid" "$root" /usr/bin/env -i "${image_env[@]}" \
    HOST=127.0.0.1 PORT="$port" ZENDESK_EMAIL="$zd_email" ZENDESK_API_TOKEN="$zd_token" USERCOM_API_KEY="$uc_key" \
    /bin/sh -c 'cd "$0" && exec "$@"' "$workdir" "$@"
}

start () {
  port=$(free_port)
  base=http://127.0.0.1:$port
  # setsid: its own process group, so that anything the CMD leaves behind can be killed with it.
  setsid chroot --userspec="$uid:$gid" --groups="$gid" "$root" /usr/bin/env -i "${image_env[@]}" \
    HOST=127.0.0.1 PORT="$port" ZENDESK_EMAIL="$zd_email" ZENDESK_API_TOKEN="$zd_token" USERCOM_API_KEY="$uc_key" \
    /bin/sh -c 'cd "$0" && exec "$@"' "$workdir" "${cmd[@]}" >> "$tmp/server.log" 2>&1 < /dev/null &
  pid=$!
  for _ in $(seq 1 150); do
    if ! alive; then say 'the server exited while starting:'; tail -n 20 "$tmp/server.log" >&2; return 1; fi
    if http GET /__mock/health > /dev/null 2>&1; then return 0; fi
    sleep 0.2
  done
  say 'the server did not answer within 30 s'; tail -n 20 "$tmp/server.log" >&2
  return 1
}
alive () { [ -e "/proc/$pid" ] && ! grep -q '^State:[[:space:]]*Z' "/proc/$pid/status" 2>/dev/null; }

# stop SIGNAL: sends it, sets rc to the exit status (bounded wait; KILL after 20 s). Not in a
# subshell: only this shell can wait for its child.
stop () {
  rc=0
  kill -"$1" "$pid" 2>/dev/null || true
  local waited=
  for _ in $(seq 1 100); do alive || { waited=done; break; }; sleep 0.2; done
  # Said only when the 20 s ran out (a second liveness read, racing the exit, said it falsely).
  if [ -z "$waited" ]; then say "the server ignored SIG$1 for 20 s"; fi
  # Whatever is left in the group (a shell-form CMD leaves node behind when sh dies) goes too.
  kill -KILL -- "-$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || rc=$?
  pid=
}

# http METHOD PATH [AUTH] [JSON]: prints "STATUS BODY"; exit 1 on a network error. 10 s cap.
http () {
  node -e '
    const [method, url, auth, body] = process.argv.slice(1)
    const headers = { accept: "application/json" }
    if (auth) headers.authorization = auth
    if (body) headers["content-type"] = "application/json"
    fetch(url, { method, headers, body: body || undefined, signal: AbortSignal.timeout(10000) })
      .then(async r => { console.log(r.status + " " + (await r.text()).replace(/\n/g, " ")) })
      .catch(e => { console.error(e.message); process.exit(1) })' "$1" "$base$2" "${3:-}" "${4:-}"
}
status_of () { printf '%s' "${1%% *}"; }
body_of () { printf '%s' "${1#* }"; }
# The JSON comes on stdin (printf is a builtin): a document can be larger than one argument may be.
json () { printf '%s' "$1" | node -e 'let v = JSON.parse(require("fs").readFileSync(0, "utf8")); for (const k of process.argv[1].split(".")) v = v?.[k]; console.log(typeof v === "string" ? v : v === undefined ? "" : JSON.stringify(v))' "$2" 2>/dev/null || echo '(not json)'; }

zd_auth="Basic $(printf '%s/token:%s' "$zd_email" "$zd_token" | base64 -w0)"
uc_auth="Token $uc_key"
zd_body='{"user":{"name":"Smoke","email":"smoke@example.com","external_id":"smoke-1"}}'
uc_body='{"user_id":"smoke-1","first_name":"Smoke"}'

if ! start; then
  bad 'server start'
  echo "smoke: $passed passed, $failed failed"
  exit 1
fi
r=$(http GET /__mock/health || echo '000 ')
[ "$(status_of "$r")" = 200 ] && [ "$(json "$(body_of "$r")" status)" = ok ] && [ "$(json "$(body_of "$r")" database)" = file ] \
  && ok "GET /__mock/health → 200 ok, database file" || bad 'health' "$r"

r=$(http GET /__mock/openapi/zendesk.json || echo '000 ')
[ "$(status_of "$r")" = 200 ] && [[ $(json "$(body_of "$r")" openapi) == 3.* ]] \
  && ok 'GET /__mock/openapi/zendesk.json → 200 (the OpenAPI documents are in the image)' || bad 'OpenAPI document' "$(cut -c1-200 <<< "$r")"

uid_line=$(grep '^Uid:' "/proc/$pid/status" || true)
read -r _ ruid euid suid fsuid <<< "$uid_line"
[ "$ruid" = "$uid" ] && [ "$euid" = "$uid" ] && [ "$suid" = "$uid" ] && [ "$fsuid" = "$uid" ] && [ "$uid" != 0 ] \
  && ok "server process $pid runs as uid $uid (/proc: $uid_line)" || bad 'server uid' "$uid_line"
[ "$(readlink "/proc/$pid/exe" | xargs basename)" = node ] && ok 'the CMD process is node itself (exec, no shell between)' \
  || bad 'CMD process' "$(readlink "/proc/$pid/exe")"

healthcheck () { [ ${#health_cmd[@]} -gt 0 ] || { echo none; return; }; in_image "${health_cmd[@]}" > /dev/null 2>&1 && echo 0 || echo $?; }
r=$(healthcheck)
[ "$r" = 0 ] && ok 'HEALTHCHECK command exits 0 while the server runs' || bad 'HEALTHCHECK on a running server' "exit $r"

# Zendesk: create, then update the same user by external_id.
r=$(http POST /api/v2/users/create_or_update.json "$zd_auth" "$zd_body" || echo '000 ')
zd_id=$(json "$(body_of "$r")" user.id)
[ "$(status_of "$r")" = 201 ] && [[ $zd_id =~ ^[0-9]+$ ]] && [ "$(json "$(body_of "$r")" user.email)" = smoke@example.com ] \
  && ok "Zendesk create_or_update → 201, user.id $zd_id" || bad 'Zendesk create' "$(cut -c1-300 <<< "$r")"
r=$(http POST /api/v2/users/create_or_update.json "$zd_auth" "$zd_body" || echo '000 ')
[ "$(status_of "$r")" = 200 ] && [ "$(json "$(body_of "$r")" user.id)" = "$zd_id" ] \
  && ok "Zendesk create_or_update again → 200, same id" || bad 'Zendesk update' "$(cut -c1-300 <<< "$r")"
r=$(http GET "/api/v2/users/${zd_id:-missing}.json" "$zd_auth" || echo '000 ')
[ "$(status_of "$r")" = 200 ] && [ "$(json "$(body_of "$r")" user.external_id)" = smoke-1 ] \
  && ok "Zendesk GET users/$zd_id.json → 200" || bad 'Zendesk GET' "$(cut -c1-300 <<< "$r")"

# User.com: create, then update the same user by user_id.
r=$(http POST /api/public/users/update_or_create/ "$uc_auth" "$uc_body" || echo '000 ')
uc_id=$(json "$(body_of "$r")" id)
[ "$(status_of "$r")" = 201 ] && [ "$(json "$(body_of "$r")" created)" = true ] && [[ $uc_id =~ ^[0-9]+$ ]] \
  && ok "User.com update_or_create → 201 created, id $uc_id" || bad 'User.com create' "$(cut -c1-300 <<< "$r")"
r=$(http POST /api/public/users/update_or_create/ "$uc_auth" "$uc_body" || echo '000 ')
[ "$(status_of "$r")" = 200 ] && [ "$(body_of "$r")" = "{\"created\":false,\"id\":$uc_id}" ] \
  && ok "User.com update_or_create again → 200 {\"created\":false,\"id\":$uc_id}" || bad 'User.com update' "$(cut -c1-300 <<< "$r")"

stop TERM
[ "$rc" = 0 ] && ok 'SIGTERM → exit 0' || bad 'SIGTERM' "exit $rc"
r=$(healthcheck)
[ "$r" != 0 ] && [ "$r" != none ] && ok "HEALTHCHECK command fails (exit $r) once the server is gone" || bad 'HEALTHCHECK on a stopped server' "exit $r"
[ -s "$tmp/data/userdouble.sqlite" ] && ok 'the database file is on the /data volume' || bad '/data' "$(ls -la "$tmp/data")"

# Restart on the same /data: the users are still there.
if start; then
  r=$(http GET "/api/v2/users/${zd_id:-missing}.json" "$zd_auth" || echo '000 ')
  [ "$(status_of "$r")" = 200 ] && [ "$(json "$(body_of "$r")" user.external_id)" = smoke-1 ] \
    && ok "after a restart: Zendesk user $zd_id is still there" || bad 'Zendesk user after restart' "$(cut -c1-300 <<< "$r")"
  r=$(http GET "/api/public/users/${uc_id:-missing}/" "$uc_auth" || echo '000 ')
  [ "$(status_of "$r")" = 200 ] && [ "$(json "$(body_of "$r")" user_id)" = smoke-1 ] \
    && ok "after a restart: User.com user $uc_id is still there" || bad 'User.com user after restart' "$(cut -c1-300 <<< "$r")"
  stop TERM
  [ "$rc" = 0 ] && ok 'SIGTERM after the restart → exit 0' || bad 'second SIGTERM' "exit $rc"
else
  bad 'restart on the same /data'
fi

if [ "$failed" -gt 0 ]; then say "server log:"; tail -n 30 "$tmp/server.log" >&2; fi
echo "smoke: $passed passed, $failed failed"
[ "$failed" = 0 ]
