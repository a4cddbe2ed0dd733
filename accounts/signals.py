"""Signals other apps listen to, so accounts never imports them (DESIGN.md's arrows)."""

from django.dispatch import Signal

# Sent after commit when how a person appears on public boards changed (their name, or hiding
# themselves): ``user``. The leaderboard redraws the boards they are on.
public_identity_changed = Signal()
