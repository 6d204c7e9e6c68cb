#!/bin/sh
# The image's entry point: `sori-entrypoint ROLE` runs one SoRi process on $PORT (default 8000); a service or the
# worker migrates its own database to the image's head before it serves (and refuses one a newer image migrated).
# Anything else is passed to the `sori` command as it is (e.g. `sori-entrypoint migrate`: every database at once).
set -eu
role="${1:-progress}"
case "$role" in
  roadmaps|working_group|social_approaches|progress|notifications|bridge|worker)
    if [ "$#" -gt 0 ]; then shift; fi
    exec sori serve "$role" --port "${PORT:-8000}" "$@"
    ;;
  *)
    exec sori "$@"
    ;;
esac
