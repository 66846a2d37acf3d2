#!/usr/bin/env bash
# rt-agent.sh - an RT agent for loopback tests, who is not the user the hub writes as: a privileged
# user with the rights an agent has on queue General (see tickets, reply, comment, change status).
# Idempotent; the RT of scripts/rt-up.sh must be installed (run "rt-up.sh start" first).
# Prints KEY='value' lines (RT_AGENT_USER, RT_AGENT_PASSWORD, RT_AGENT_REALNAME).
#
# Environment (all optional): RT_AGENT_USER (default agent.smith), RT_AGENT_PASSWORD (default
# agent-password), RT_AGENT_REALNAME (default Agent Smith).
set -euo pipefail

RT_AGENT_USER=${RT_AGENT_USER:-agent.smith}
RT_AGENT_PASSWORD=${RT_AGENT_PASSWORD:-agent-password}
RT_AGENT_REALNAME=${RT_AGENT_REALNAME:-Agent Smith}
RT_VAR=/var/lib/request-tracker5
RT_LIB=/usr/share/request-tracker5/lib

[ "$(id -u)" = 0 ] || { echo "[rt-agent] run as root" >&2; exit 1; }
[ -d "$RT_LIB" ] || { echo "[rt-agent] RT is not installed: run scripts/rt-up.sh start" >&2; exit 1; }

# RT's own Perl API as www-data, as rt-up.sh does (REST2 cannot grant rights).
# shellcheck disable=SC2016  # the single-quoted script is expanded by its own interpreter
setpriv --reuid=www-data --regid=www-data --init-groups \
  env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME="$RT_VAR" LANG=C.UTF-8 \
  AGENT_USER="$RT_AGENT_USER" AGENT_PASSWORD="$RT_AGENT_PASSWORD" AGENT_REALNAME="$RT_AGENT_REALNAME" \
  perl -I"$RT_LIB" -e '
    use strict; use warnings;
    use RT; RT::LoadConfig(); RT->Config->Set(LogToSTDERR => "error"); RT::Init();
    my $user = RT::User->new(RT->SystemUser);
    $user->Load($ENV{AGENT_USER});
    unless ($user->id) {
        my ($ok, $msg) = $user->Create(Name => $ENV{AGENT_USER}, RealName => $ENV{AGENT_REALNAME},
            EmailAddress => "$ENV{AGENT_USER}\@localtest", Privileged => 1);
        $ok or die "User: $msg\n";
    }
    $user->IsPassword($ENV{AGENT_PASSWORD}) or do { my ($ok, $msg) = $user->SetPassword($ENV{AGENT_PASSWORD}); $ok or die "SetPassword: $msg\n"; };
    my $queue = RT::Queue->new(RT->SystemUser);
    $queue->Load("General"); $queue->id or die "no General queue\n";
    for my $right (qw(SeeQueue ShowTicket ShowTicketComments ReplyToTicket CommentOnTicket ModifyTicket OwnTicket)) {
        next if $user->PrincipalObj->HasRight(Right => $right, Object => $queue);
        my ($ok, $msg) = $user->PrincipalObj->GrantRight(Right => $right, Object => $queue);
        $ok or die "GrantRight $right: $msg\n";
    }'

q="'\\''"
printf "RT_AGENT_USER='%s'\nRT_AGENT_PASSWORD='%s'\nRT_AGENT_REALNAME='%s'\n" \
  "${RT_AGENT_USER//\'/$q}" "${RT_AGENT_PASSWORD//\'/$q}" "${RT_AGENT_REALNAME//\'/$q}"
