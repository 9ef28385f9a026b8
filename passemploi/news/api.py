"""Structure news ("Ma Mission Locale") under /api/v1/."""

from ninja import Router

router = Router()
