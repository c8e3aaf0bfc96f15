# Targets, their members and goals (and their audit trails) belong to a plan: they move to the plans app
# (plans/migrations/0007_targets_from_indicators.py). Only Django's idea of the models moves; the tables
# keep their names and rows (the plans models name them with db_table), so nothing is copied or renamed.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('indicators', '0008_historicalgoal_historicaltarget'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.RemoveField(
                    model_name='historicalgoal',
                    name='history_user',
                ),
                migrations.RemoveField(
                    model_name='historicalgoal',
                    name='region',
                ),
                migrations.RemoveField(
                    model_name='historicalgoal',
                    name='target',
                ),
                migrations.RemoveField(
                    model_name='historicaltarget',
                    name='history_user',
                ),
                migrations.RemoveField(
                    model_name='historicaltarget',
                    name='index',
                ),
                migrations.RemoveField(
                    model_name='historicaltarget',
                    name='indicator',
                ),
                migrations.RemoveField(
                    model_name='historicaltarget',
                    name='plan',
                ),
                migrations.RemoveField(
                    model_name='historicaltarget',
                    name='province',
                ),
                migrations.RemoveField(
                    model_name='historicaltarget',
                    name='subindex',
                ),
                migrations.RemoveField(
                    model_name='target',
                    name='index',
                ),
                migrations.RemoveField(
                    model_name='target',
                    name='indicator',
                ),
                migrations.RemoveField(
                    model_name='target',
                    name='plan',
                ),
                migrations.RemoveField(
                    model_name='target',
                    name='province',
                ),
                migrations.RemoveField(
                    model_name='target',
                    name='subindex',
                ),
                migrations.RemoveField(
                    model_name='target',
                    name='subindex_group',
                ),
                migrations.RemoveField(
                    model_name='targetmember',
                    name='target',
                ),
                migrations.RemoveField(
                    model_name='targetmember',
                    name='subindex',
                ),
                migrations.DeleteModel(
                    name='Goal',
                ),
                migrations.DeleteModel(
                    name='HistoricalGoal',
                ),
                migrations.DeleteModel(
                    name='HistoricalTarget',
                ),
                migrations.DeleteModel(
                    name='Target',
                ),
                migrations.DeleteModel(
                    name='TargetMember',
                ),
            ],
        ),
    ]
