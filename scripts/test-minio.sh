#!/usr/bin/env bash
# The S3 artifact-store tests (dist/**/*.minio-spec.js) against a real MinIO: builds, starts
# MinIO with scripts/infra/minio.sh (installing it on first use; several minutes, then cached)
# unless one is already running on its port, runs the tests with the S3 settings in the
# environment exactly as artifact-svc reads them, and stops MinIO again if it started it.
#
# Usage: scripts/test-minio.sh [name-filter]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
minio="scripts/infra/minio.sh"
filter=${1:-}

node scripts/build.mjs --quiet

started=0
if ! bash "$minio" status >/dev/null 2>&1; then started=1; fi
stop_minio() { if [ "$started" = 1 ]; then bash "$minio" stop; fi; }
trap stop_minio EXIT
bash "$minio" start

eval "$(bash "$minio" env)"
# Each run writes under its own prefix of the shared test bucket.
CAIRN_ARTIFACTS_DESTINATION="s3://$CAIRN_MINIO_BUCKET/test-minio-$(date +%s)-$$"
export CAIRN_ARTIFACTS_DESTINATION
export AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true

mapfile -t files < <(find dist -name '*.minio-spec.js' | grep -F -- "$filter" | sort)
if [ ${#files[@]} -eq 0 ]; then
  echo "test-minio: no *.minio-spec.js files under dist/${filter:+ matching $filter}" >&2
  exit 1
fi
echo "# MinIO tests against $CAIRN_S3_ENDPOINT, destination $CAIRN_ARTIFACTS_DESTINATION"
node --enable-source-maps --test --test-concurrency=2 "${files[@]}"
