# The web workspace and HTTP API: a chair's account, the server started briefly on loopback,
# and a call with the chair's token. 'dhrkg serve' alone keeps it running.
PORT="$(python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
step "An account for the chair of north-worcs-dhr-7 (the token is shown once)" \
  "(dhrkg users revoke demo-chair >/dev/null 2>&1 || true) && dhrkg users add demo-chair --role chair --review north-worcs-dhr-7 > $OUT/demo-chair.token && echo \"token saved in $OUT/demo-chair.token\""
dhrkg serve --port "$PORT" &
SERVER_PID=$!
python - "$PORT" <<'PY'
import sys, time, httpx
for _ in range(150):
    try:
        if httpx.get(f"http://127.0.0.1:{sys.argv[1]}/health").status_code == 200:
            break
    except httpx.HTTPError:
        time.sleep(0.2)
PY
step "The workspace answers: the chair's reviews, through the API" \
  "python -c \"import httpx, json, sys; r = httpx.get('http://127.0.0.1:$PORT/api/v1/reviews', headers={'Authorization': 'Bearer ' + open('$OUT/demo-chair.token').read().strip()}); print(json.dumps(r.json(), indent=2))\""
printf '\nThe workspace was at http://127.0.0.1:%s/ (sign in with the token); start it yourself with: dhrkg serve\n' "$PORT"
kill "$SERVER_PID" && wait "$SERVER_PID" 2>/dev/null || true
