"""SoRi's version, from one place: the `version` of pyproject.toml, as the installed package's metadata says it."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("sori")
except PackageNotFoundError:  # run from a source tree that was never installed: no release to name
    __version__ = "0+unknown"
