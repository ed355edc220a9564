#!/usr/bin/env bash
# The service's OpenAPI document against a real linter and a client generator:
#   1. Redocly CLI's recommended rules (redocly.yaml; .redocly.lint-ignore.yaml lists what does not apply, with reasons);
#   2. openapi-typescript, generating typed client definitions (out/gdm-api.ts), then TypeScript compiling
#      client-check.ts against them in strict mode (a job's result narrowed by its kind).
# The document comes from the built service, started on a free loopback port with the shipped models and stopped
# again, or from a file: check.sh --from openapi.json. The tools are installed from package-lock.json (npm ci) when
# node_modules is missing; nothing else is fetched.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$here"

if [ ! -x node_modules/.bin/redocly ] || [ ! -x node_modules/.bin/openapi-typescript ] || [ ! -x node_modules/.bin/tsc ]; then
    npm ci --no-audit --no-fund --loglevel=error
fi
mkdir -p out
document="$here/out/openapi.json"

if [ "${1:-}" = "--from" ]; then
    cp "$2" "$document"
else
    api="$root/Gdm.Api/bin/Release/net10.0/Gdm.Api.dll"
    [ -f "$api" ] || dotnet build "$root/Gdm.Api" -c Release -v quiet -nologo
    log="$(mktemp)"
    # Port 0: Kestrel takes a free port and says which in its log.
    dotnet "$api" --urls http://127.0.0.1:0 --Models:Folder "$root/models" >"$log" 2>&1 &
    service=$!
    trap 'kill "$service" 2>/dev/null || true; wait "$service" 2>/dev/null || true; rm -f "$log"' EXIT
    address=""
    for _ in $(seq 1 240); do
        address="$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$log" | head -n 1 || true)"
        if [ -n "$address" ] && curl -sf "$address/swagger/v1/swagger.json" -o "$document"; then
            break
        fi
        kill -0 "$service" 2>/dev/null || { cat "$log"; echo "the service stopped before it served its document" >&2; exit 1; }
        address=""
        sleep 0.5
    done
    [ -n "$address" ] || { cat "$log"; echo "the service did not serve its document within 120 s" >&2; exit 1; }
fi

node_modules/.bin/redocly lint "$document" --config redocly.yaml --format stylish 2>&1 | grep -v '[║╔╚]' | sed '/^\s*$/d'
node_modules/.bin/openapi-typescript "$document" --output out/gdm-api.ts
node_modules/.bin/tsc -p tsconfig.json
echo "openapi check passed: Redocly recommended rules, openapi-typescript, strict TypeScript"
