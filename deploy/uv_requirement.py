"""Prints the pip requirement, with every hash, for the uv release that uv.lock pins.

The Makefile and the image install uv with `pip install --require-hashes` from this line, before any other package:
the lock is then the only place that says which uv (and so which resolver) a checkout uses. Standard library only,
since it runs before the virtualenv has anything in it.
"""

import sys
import tomllib
from pathlib import Path


def uv_requirement(lock: Path) -> str:
    packages = tomllib.loads(lock.read_text(encoding="utf-8"))["package"]
    uv = next((package for package in packages if package["name"] == "uv"), None)
    if uv is None:
        raise SystemExit(f"{lock} pins no uv: run `make lock`")
    files = [*uv.get("wheels", []), *([uv["sdist"]] if "sdist" in uv else [])]
    hashes = " ".join(f"--hash={file['hash']}" for file in files)
    return f"uv=={uv['version']} {hashes}"


if __name__ == "__main__":
    print(uv_requirement(Path(sys.argv[1] if len(sys.argv) > 1 else "uv.lock")))
