"""What the plans app announces to the apps above it, which it must not import (apps depend one way)."""

from django.dispatch import Signal

# A plan's period (period_start/period_end) was changed and saved; sent with plan=, inside the transaction.
# reporting moves the deadlines of the plan's reporting rules along.
plan_period_changed = Signal()
