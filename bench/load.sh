#!/usr/bin/env bash
# The web load test: gunicorn with the production settings against a data set built by
# bench/make_web_data.py, locust headless (bench/locustfile.py), then p50/p95/p99 per page.
#
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/kam_web10k bash bench/load.sh
#   … bash bench/load.sh --users head --rounds 50         # one kind of user, fewer walks
#
# Options: --users kam,head,api (which user classes, each run on its own in turn; default all three)
#          --rounds N (walks per user class, i.e. requests per page; default 200)
#          --concurrency N (simultaneous users; default 4)   --workers N (gunicorn; default 2)
#          --warmup N (unmeasured walks per class first; default 3)   --port N (default 8799)
#          --alone N (walks of one user alone per class, after the warmup: the report's "alone p50",
#          how fast this machine serves each page at all; default 10, 0 to skip)
#          --password P (make_web_data's --password)   --kams N (make_web_data's --kams)
#          --timeout S (gunicorn's worker timeout; default 300, so that a slow page is measured
#          rather than cut off at production's 30 s)
# REDIS_URL, when set, is the cache as in production (otherwise the local-memory cache).
# Exit status: non-zero when a request failed or a step did not run.
set -euo pipefail
cd "$(dirname "$0")/.."

users=kam,head,api rounds=200 concurrency=4 workers=2 warmup=3 alone=10 port=8799
password=kam-load-2026 kams=20 timeout=300
while [ $# -gt 0 ]; do
  case "$1" in
    --users) users=$2 ;; --rounds) rounds=$2 ;; --concurrency) concurrency=$2 ;;
    --workers) workers=$2 ;; --warmup) warmup=$2 ;; --alone) alone=$2 ;; --port) port=$2 ;;
    --password) password=$2 ;; --kams) kams=$2 ;; --timeout) timeout=$2 ;;
    *) echo "unknown option $1 (see the head of $0)" >&2; exit 2 ;;
  esac
  shift 2
done

: "${DATABASE_URL:?set DATABASE_URL to the database make_web_data.py built}"
database=${DATABASE_URL##*/}
case "$database" in
  *bench*|*web*) ;;
  *) echo "load.sh runs against a database built by make_web_data.py (name with bench or web), not $database" >&2
     exit 2 ;;
esac

work=$(mktemp -d /tmp/kam-load-XXXXXX)
export DJANGO_SETTINGS_MODULE=kam.settings.prod
export SECRET_KEY="load-$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
export ALLOWED_HOSTS=127.0.0.1,localhost SECURE_SSL_REDIRECT=false LOG_LEVEL=WARNING
export MEDIA_ROOT="$work/media"
# The API client sends its requests back to back, far above production's burst limit (60 a
# minute per token): the throttle still counts every request in the cache, but refuses none.
export API_RATE_BURST=${API_RATE_BURST:-1000000/min} API_RATE_SUSTAINED=${API_RATE_SUSTAINED:-100000000/day}
python=.venv/bin/python

manifest=staticfiles/staticfiles.json  # collected again only when a static file changed
if [ ! -f "$manifest" ] || [ -n "$(find static -newer "$manifest" -print -quit)" ]; then
  "$python" manage.py collectstatic --noinput -v 0
fi
token=$("$python" manage.py shell -c "
import datetime as dt
from accounts.models import User
from accounts.services import api_token_issue
print(api_token_issue(user=User.objects.get(username='head'), expiry=dt.timedelta(hours=6)))" | tail -n 1)

.venv/bin/gunicorn kam.wsgi:application --config gunicorn.conf.py --bind "127.0.0.1:$port" --workers "$workers" --timeout "$timeout" \
  --log-level warning --error-logfile "$work/gunicorn.log" &
gunicorn_pid=$!
trap 'kill "$gunicorn_pid" 2>/dev/null; wait "$gunicorn_pid" 2>/dev/null || true' EXIT
for _ in $(seq 60); do
  curl -fs -o /dev/null "http://127.0.0.1:$port/health/" && break
  sleep 1
done
curl -fs -o /dev/null "http://127.0.0.1:$port/health/" || { cat "$work/gunicorn.log" >&2; exit 1; }

export LOAD_PASSWORD=$password LOAD_KAMS=$kams LOAD_TOKEN=$token
run_locust() {  # class, rounds, csv prefix[, users at a time]
  local users=${4:-$concurrency}
  LOAD_ROUNDS=$2 .venv/bin/locust -f bench/locustfile.py --headless --only-summary \
    --host "http://127.0.0.1:$port" -u "$users" -r "$users" --run-time 60m \
    --csv "$3" --loglevel WARNING "$1" >"$3.log" 2>&1
}

failed=0 files=() alone_files=()
for kind in ${users//,/ }; do
  case "$kind" in
    kam) class=KamUser ;; head) class=HeadUser ;; api) class=ApiClient ;;
    *) echo "unknown user kind $kind (kam, head or api)" >&2; exit 2 ;;
  esac
  [ "$warmup" -gt 0 ] && { run_locust "$class" "$warmup" "$work/warmup-$kind" || true; }
  if [ "$alone" -gt 0 ]; then
    run_locust "$class" "$alone" "$work/alone-$kind" 1 || true
    alone_files+=(--alone "$work/alone-${kind}_stats.csv")
  fi
  echo "$kind: $rounds walks, $concurrency at a time …" >&2
  started=$(date +%s)
  run_locust "$class" "$rounds" "$work/$kind" || { failed=1; tail -5 "$work/$kind.log" >&2; }
  echo "$kind: $(( $(date +%s) - started )) s" >&2
  files+=("$work/${kind}_stats.csv")
done

counts=$(psql "$DATABASE_URL" -Atc "SELECT (SELECT count(*) FROM accounts_account) || ' accounts, ' ||
  (SELECT count(*) FROM accounts_contact) || ' contacts, ' || (SELECT count(*) FROM sales_salesline) || ' lines'")
echo
echo "Load test $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg):"
echo "$database ($counts); gunicorn $workers workers, $concurrency concurrent users, $rounds walks per user kind"
echo
"$python" bench/load_report.py "${files[@]}" "${alone_files[@]}" || failed=1
echo
echo "(statistics and logs in $work)"
exit "$failed"
