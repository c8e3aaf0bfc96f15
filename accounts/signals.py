"""Signals of accounts that higher apps answer, so that accounts never imports them.

`unit_merged(sender=Unit, old=…, successor=…, by=…)` is sent inside the merge's transaction: plans moves the
tasks and plans, reporting the reporting rules and reports of the old unit to its successor.
"""

from django.dispatch import Signal

unit_merged = Signal()
