"""Alembic's entry point for every service's revisions: sori.migrations hands it the connection and the models."""

from typing import cast

from alembic import context
from alembic.runtime.environment import EnvironmentContext

from sori.migrations import configure

# Alembic stands its environment in for the module `alembic.context` while it runs this file.
configure(cast(EnvironmentContext, context))
