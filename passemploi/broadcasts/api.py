"""Broadcast lists, multi-recipient messages and the counselor's pinned notice under /api/v1/."""

from ninja import Router

router = Router()
