"""The databases every database-backed test runs on."""

import os

POSTGRES_URL = os.environ.get("SORI_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test")

# PostgreSQL is part of every run; SORI_TEST_POSTGRES=0 leaves it out on a machine that has none.
DATABASES = ["sqlite"] + ([] if os.environ.get("SORI_TEST_POSTGRES") == "0" else ["postgresql"])
