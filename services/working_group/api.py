"""Working-group HTTP commands, under /working-group/v1."""

from fastapi import APIRouter

router = APIRouter(prefix="/working-group/v1", tags=["working-group"])
