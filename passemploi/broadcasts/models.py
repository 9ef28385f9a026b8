"""Broadcast lists, multi-recipient messages and the counselor's pinned notice."""
