"""What the plans app announces to the apps above it, which it must not import (apps depend one way)."""

from django.dispatch import Signal

# A plan's period (period_start/period_end) was changed and saved; sent with plan=, inside the transaction.
# reporting moves the deadlines of the plan's reporting rules along.
plan_period_changed = Signal()

# A plan was saved from an imported document (plans.importing.save), inside the transaction; sent with
# plan=, draft= (the Draft) and unit= (a function: UnitRef → Unit). reporting writes the draft's reporting rules.
plan_imported = Signal()
