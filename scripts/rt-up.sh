#!/usr/bin/env bash
# rt-up.sh - Request Tracker 5 (Debian 12 package) on loopback for integration tests.
# Adapted for IntegrationHub from the team's reference script: also creates the ticket custom
# field "ChatSessionId" on queue General, which the requesttracker connector uses for idempotency.
#
#   rt-up.sh [start]  install if missing (SQLite backend), start on 127.0.0.1, wait
#                     until REST2 answers, print connection details
#   rt-up.sh stop     stop the server (by its PID file)
#   rt-up.sh status   exit 0 when REST2 answers
#   rt-up.sh reset    stop, put back the freshly-installed database, start again
#   rt-up.sh selftest create a ticket, reply, comment and read the history over REST2
#
# Details go to stdout as KEY='value' lines (progress goes to stderr), so a
# test runner can load them with:  set -a; eval "$(/path/to/rt-up.sh)"; set +a
#
# Environment (all optional):
#   RT_PORT            default 8080
#   RT_ROOT_PASSWORD   default password   (RT's own default for root)
#   RT_WORKERS         default 2          Starlet worker processes
#   RT_MAIL_MODE       default mbox       mbox: RT writes outgoing mail to
#                      /var/lib/request-tracker5/*.mbox; sendmail: hand it to
#                      /usr/sbin/sendmail (e.g. the Postfix of mail-up.sh)
#   RT_TIMEOUT         default 180        seconds to wait for readiness
set -euo pipefail

RT_HOST=127.0.0.1
RT_PORT=${RT_PORT:-8080}
RT_ROOT_PASSWORD=${RT_ROOT_PASSWORD:-password}
RT_WORKERS=${RT_WORKERS:-2}
RT_MAIL_MODE=${RT_MAIL_MODE:-mbox}
RT_TIMEOUT=${RT_TIMEOUT:-180}

RT_BASE="http://${RT_HOST}:${RT_PORT}"
RT_ETC=/etc/request-tracker5
RT_VAR=/var/lib/request-tracker5
RT_LIB=/usr/share/request-tracker5/lib
RT_SERVER=/usr/share/request-tracker5/libexec/rt-server
RT_DB=/var/lib/dbconfig-common/sqlite3/request-tracker5/rtdb
RT_DB_PRISTINE=${RT_DB}.pristine
SITE_SNIPPET=${RT_ETC}/RT_SiteConfig.d/90-loopback-test.pm
STATE_DIR=/run/rt-loopback
PID_FILE=${STATE_DIR}/rt-server.pid
LOG_FILE=/var/log/rt-loopback.log
TOKEN_FILE=${RT_VAR}/loopback-test.token
PACKAGES=(request-tracker5 rt5-db-sqlite rt5-standalone w3m)

log() { printf '[rt-up] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# KEY='value' lines: safe for `eval "$(script)"` and for dotenv readers.
kv() { local q="'\\''"; printf "%s='%s'\n" "$1" "${2//\'/$q}"; }

[ "$(id -u)" = 0 ] || die "run as root"
case "$RT_MAIL_MODE" in mbox|sendmail) ;; *) die "RT_MAIL_MODE must be mbox or sendmail" ;; esac

is_installed() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

install_packages() {
  local missing=() p
  for p in "${PACKAGES[@]}"; do is_installed "$p" || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  # RT depends on "default-mta | mail-transport-agent". Without any MTA apt would
  # pick exim4; Postfix (local delivery only, not started here) matches mail-up.sh.
  [ -x /usr/sbin/sendmail ] || missing+=(postfix)
  log "installing: ${missing[*]} (this takes about a minute)"
  debconf-set-selections <<EOF
request-tracker5 request-tracker5/dbconfig-install boolean true
request-tracker5 request-tracker5/database-type select sqlite3
request-tracker5 request-tracker5/initial-root-password password ${RT_ROOT_PASSWORD}
request-tracker5 request-tracker5/rtname string rt.localtest
request-tracker5 request-tracker5/organization string localtest
request-tracker5 request-tracker5/correspondaddress string rt@localtest
request-tracker5 request-tracker5/commentaddress string rt-comment@localtest
request-tracker5 request-tracker5/webbaseurl string ${RT_BASE}
request-tracker5 request-tracker5/install-cronjobs boolean false
request-tracker5 request-tracker5/handle-siteconfig-permissions boolean true
rt5-db-sqlite rt5-db-sqlite/available boolean true
postfix postfix/main_mailer_type select Local only
postfix postfix/mailname string localtest
EOF
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >/dev/null
  apt-get install -y -q --no-install-recommends "${missing[@]}" >/var/log/rt-loopback-apt.log 2>&1 \
    || { tail -30 /var/log/rt-loopback-apt.log >&2; die "apt-get install failed"; }
  [ -s "$RT_DB" ] || die "package installed but no SQLite database at $RT_DB (see /var/log/rt-loopback-apt.log)"
  # Keep the freshly initialised database so "reset" can return to it.
  cp -p "$RT_DB" "$RT_DB_PRISTINE"
}

configure() {
  # Debian creates RT_SiteConfig.pm as root-only 0600; RT (running as
  # www-data) then logs "Couldn't load RT config file RT_SiteConfig.pm".
  if [ -f "${RT_ETC}/RT_SiteConfig.pm" ]; then
    chgrp www-data "${RT_ETC}/RT_SiteConfig.pm"
    chmod 0640 "${RT_ETC}/RT_SiteConfig.pm"
  fi
  local mail_command=mbox
  [ "$RT_MAIL_MODE" = sendmail ] && mail_command=sendmailpipe
  local tmp
  tmp=$(mktemp)
  cat >"$tmp" <<EOF
# Written by rt-up.sh: loopback test instance. Loaded after the Debian snippets.
Set(\$WebPath, "");
Set(\$WebDomain, "${RT_HOST}");
Set(\$WebPort, ${RT_PORT});
Set(\$WebBaseURL, "${RT_BASE}");
Set(\$CorrespondAddress, 'rt@localtest');
Set(\$CommentAddress, 'rt-comment@localtest');
# No syslog daemon in containers: log warnings to the server's stderr.
Set(\$LogToSyslog, undef);
Set(\$LogToSTDERR, 'warning');
Set(\$MailCommand, '${mail_command}');
EOF
  if ! cmp -s "$tmp" "$SITE_SNIPPET"; then
    install -m 0640 -o root -g www-data "$tmp" "$SITE_SNIPPET"
  fi
  rm -f "$tmp"
}

# What the running server was started with; a change means a restart.
wanted_signature() {
  { cat "$SITE_SNIPPET"; echo "workers=${RT_WORKERS} port=${RT_PORT}"; } | md5sum | cut -d' ' -f1
}

server_pid() {
  local pid
  [ -r "$PID_FILE" ] || return 1
  pid=$(cat "$PID_FILE")
  kill -0 "$pid" 2>/dev/null || return 1
  echo "$pid"
}

http_code() { # url [curl args...]
  local url=$1; shift
  curl -s -o /dev/null -w '%{http_code}' --max-time 10 "$@" "$url" 2>/dev/null || true
}

rest_ok() {
  [ "$(http_code "${RT_BASE}/REST/2.0/rt" -u "root:${RT_ROOT_PASSWORD}")" = 200 ]
}

start_server() {
  if server_pid >/dev/null; then
    return 0
  fi
  if [ "$(http_code "${RT_BASE}/")" != 000 ]; then
    die "something else already answers on ${RT_HOST}:${RT_PORT}"
  fi
  install -d -m 0755 "$STATE_DIR"
  # setpriv execs (no extra parent process), so $! is the Starlet master.
  setsid setpriv --reuid=www-data --regid=www-data --init-groups \
    env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME="$RT_VAR" LANG=C.UTF-8 \
    "$RT_SERVER" --host "$RT_HOST" --port "$RT_PORT" --max-workers "$RT_WORKERS" \
    >>"$LOG_FILE" 2>&1 </dev/null &
  echo $! >"$PID_FILE"
  wanted_signature >"${STATE_DIR}/signature"
}

stop_server() {
  local pid
  pid=$(server_pid) || { rm -f "$PID_FILE"; return 0; }
  kill -TERM "$pid"
  for _ in $(seq 1 100); do
    kill -0 "$pid" 2>/dev/null || { rm -f "$PID_FILE"; return 0; }
    sleep 0.1
  done
  log "rt-server (pid $pid) ignored TERM for 10s, sending KILL"
  kill -KILL "$pid" 2>/dev/null || true
  rm -f "$PID_FILE"
}

wait_ready() {
  local deadline=$((SECONDS + RT_TIMEOUT)) code pid
  while :; do
    code=$(http_code "${RT_BASE}/REST/2.0/rt" -u "root:${RT_ROOT_PASSWORD}")
    case "$code" in
      200) return 0 ;;
      401) return 2 ;;   # up, but root's password differs
    esac
    pid=$(server_pid) || { tail -20 "$LOG_FILE" >&2; die "rt-server exited (log: $LOG_FILE)"; }
    (( SECONDS < deadline )) || die "RT did not answer within ${RT_TIMEOUT}s (log: $LOG_FILE)"
    sleep 0.3
  done
}

# Runs RT's own Perl API as www-data. Arguments: "password" or "token".
rt_perl() {
  # shellcheck disable=SC2016  # the single-quoted script is expanded by its own interpreter
  setpriv --reuid=www-data --regid=www-data --init-groups \
    env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME="$RT_VAR" LANG=C.UTF-8 \
    RT_LOOPBACK_PASSWORD="$RT_ROOT_PASSWORD" \
    perl -I"$RT_LIB" -e '
      use strict; use warnings;
      use RT; RT::LoadConfig(); RT->Config->Set(LogToSTDERR => "error"); RT::Init();
      my $user = RT::User->new(RT->SystemUser);
      $user->Load("root"); $user->id or die "no root user\n";
      if ($ARGV[0] eq "customfield") {
          my $cf = RT::CustomField->new(RT->SystemUser);
          $cf->LoadByName(Name => "ChatSessionId", LookupType => RT::Ticket->CustomFieldLookupType);
          unless ($cf->id) {
              my ($ok, $msg) = $cf->Create(Name => "ChatSessionId", Type => "Freeform", MaxValues => 1,
                  LookupType => RT::Ticket->CustomFieldLookupType, Description => "IntegrationHub conversation id");
              $ok or die "CustomField: $msg\n";
          }
          my $queue = RT::Queue->new(RT->SystemUser);
          $queue->Load("General"); $queue->id or die "no General queue\n";
          $cf->IsAdded($queue->id) or do { my ($ok, $msg) = $cf->AddToObject($queue); $ok or die "AddToObject: $msg\n"; };
          print "ok\n";
      } elsif ($ARGV[0] eq "password") {
          my ($ok, $msg) = $user->SetPassword($ENV{RT_LOOPBACK_PASSWORD});
          $ok or die "SetPassword: $msg\n";
      } else {
          my $token = RT::AuthToken->new(RT::CurrentUser->new($user));
          my ($id, $msg, $string) = $token->Create(Owner => $user->id, Description => "rt-up.sh");
          $id or die "AuthToken: $msg\n";
          print "$string\n";
      }' "$1"
}

ensure_token() {
  local token=""
  [ -r "$TOKEN_FILE" ] && token=$(cat "$TOKEN_FILE")
  if [ -n "$token" ] && [ "$(http_code "${RT_BASE}/REST/2.0/rt" -H "Authorization: token ${token}")" = 200 ]; then
    echo "$token"
    return 0
  fi
  token=$(rt_perl token 2>>"$LOG_FILE") || die "could not create an auth token (log: $LOG_FILE)"
  install -m 0600 -o www-data -g www-data /dev/null "$TOKEN_FILE"
  printf '%s\n' "$token" >"$TOKEN_FILE"
  echo "$token"
}

print_details() {
  local token=$1
  kv RT_URL "${RT_BASE}"
  kv RT_REST2_URL "${RT_BASE}/REST/2.0"
  kv RT_USER "root"
  kv RT_PASSWORD "${RT_ROOT_PASSWORD}"
  kv RT_TOKEN "${token}"
  kv RT_QUEUE "General"
  kv RT_VERSION "$(dpkg-query -W -f='${Version}' request-tracker5)"
  cat <<EOF
# Auth: HTTP basic (-u root:${RT_ROOT_PASSWORD}) or header "Authorization: token ${token}".
# Outgoing RT mail: ${RT_MAIL_MODE}$([ "$RT_MAIL_MODE" = mbox ] && echo " -> ${RT_VAR}/<start-time>.mbox")
# Server log: ${LOG_FILE}  PID file: ${PID_FILE}
EOF
}

start() {
  install_packages
  configure
  if server_pid >/dev/null && [ "$(cat "${STATE_DIR}/signature" 2>/dev/null)" != "$(wanted_signature)" ]; then
    log "settings changed, restarting rt-server"
    stop_server
  fi
  start_server
  local rc=0
  wait_ready || rc=$?
  if [ "$rc" = 2 ]; then
    log "root password differs from RT_ROOT_PASSWORD, setting it"
    rt_perl password 2>>"$LOG_FILE" || die "could not set root's password (log: $LOG_FILE)"
    rest_ok || die "REST2 still refuses root after setting the password"
  fi
  rt_perl customfield >/dev/null 2>>"$LOG_FILE" || die "could not create custom field ChatSessionId (log: $LOG_FILE)"
  local token
  token=$(ensure_token)
  log "ready"
  print_details "$token"
}

# REST2 round trip: create ticket, public reply, internal comment, read history.
selftest() {
  command -v jq >/dev/null || die "selftest needs jq"
  rest_ok || die "RT is not answering; run $0 first"
  local token api id types
  token=$(ensure_token)
  api="${RT_BASE}/REST/2.0"
  rt() { curl -sS --fail-with-body --max-time 30 -H "Authorization: token ${token}" "$@"; }
  id=$(rt -X POST -H 'Content-Type: application/json' \
        -d '{"Queue":"General","Subject":"rt-up selftest","Requestor":"customer@example.test","Content":"First message","ContentType":"text/plain"}' \
        "${api}/ticket" | jq -r .id)
  [[ $id =~ ^[0-9]+$ ]] || die "ticket create failed"
  rt -X POST -H 'Content-Type: application/json' -d '{"Content":"Public reply","ContentType":"text/plain"}' \
    "${api}/ticket/${id}/correspond" >/dev/null
  rt -X POST -H 'Content-Type: application/json' -d '{"Content":"Internal note","ContentType":"text/plain"}' \
    "${api}/ticket/${id}/comment" >/dev/null
  types=$(rt "${api}/ticket/${id}/history?fields=Type&per_page=100" | jq -r '[.items[].Type] | join(",")')
  case ",$types," in
    *,Create,*Correspond,*Comment,*) echo "selftest OK: ticket ${id} history: ${types}" ;;
    *) die "unexpected history for ticket ${id}: ${types}" ;;
  esac
}

cmd=${1:-start}
case "$cmd" in
  start) start ;;
  stop) stop_server; log "stopped" ;;
  status) rest_ok ;;
  selftest) selftest ;;
  reset)
    [ -f "$RT_DB_PRISTINE" ] || die "no pristine database copy ($RT_DB_PRISTINE); it is made when rt-up.sh installs RT"
    stop_server
    install -m 0660 -o root -g www-data "$RT_DB_PRISTINE" "$RT_DB"
    rm -f "$TOKEN_FILE"
    start
    ;;
  *) die "usage: $0 [start|stop|status|reset|selftest]" ;;
esac
