#!/bin/sh
# The image's entry point: `sori-entrypoint ROLE` runs one SoRi process on $PORT (default 8000);
# anything else is passed to the `sori` command as it is (e.g. `sori-entrypoint migrate`).
set -eu
role="${1:-progress}"
case "$role" in
  roadmaps|working_group|social_approaches|progress|bridge|worker)
    if [ "$#" -gt 0 ]; then shift; fi
    exec sori serve "$role" --port "${PORT:-8000}" "$@"
    ;;
  *)
    exec sori "$@"
    ;;
esac
