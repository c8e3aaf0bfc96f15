# Targets, their members and goals (and their audit trails) move here from indicators: a target belongs to
# its plan. The state moves (indicators/migrations/0009_targets_move_to_plans.py deletes it there); the tables
# keep their names and rows (db_table), so the database is not touched but for django_content_type: its rows
# are relabelled indicators → plans, so that permissions given to groups and users, the admin log and the
# audit trail keep pointing at the same models.

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models

MOVED = ["target", "targetmember", "goal", "historicaltarget", "historicalgoal"]


def _relabel(apps, schema_editor, old, new):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    for model in MOVED:
        # A row already under the new label (never made by a forward migrate) is left alone: nothing is deleted.
        if ContentType.objects.using(db).filter(app_label=new, model=model).exists():
            continue
        ContentType.objects.using(db).filter(app_label=old, model=model).update(app_label=new)


def forwards(apps, schema_editor):
    _relabel(apps, schema_editor, "indicators", "plans")


def backwards(apps, schema_editor):
    _relabel(apps, schema_editor, "plans", "indicators")


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('indicators', '0009_targets_move_to_plans'),
        ('plans', '0006_historicalplan_historicalsection_historicaltask'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='HistoricalTarget',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('year', models.PositiveIntegerField(verbose_name='năm mục tiêu')),
                        ('baseline_year', models.PositiveIntegerField(blank=True, null=True, verbose_name='năm gốc')),
                        ('baseline_rank', models.PositiveIntegerField(blank=True, null=True, verbose_name='xếp hạng năm gốc')),
                        ('baseline_score', models.DecimalField(blank=True, decimal_places=2, max_digits=7, null=True, verbose_name='điểm năm gốc')),
                        ('baseline_out_of', models.PositiveIntegerField(blank=True, null=True, verbose_name='trên tổng số (năm gốc)')),
                        ('text', models.TextField(blank=True, verbose_name='nội dung mục tiêu (nguyên văn)')),
                        ('order', models.PositiveIntegerField(default=0)),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('index', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='indicators.index', verbose_name='bộ chỉ số')),
                        ('indicator', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='indicators.indicator', verbose_name='chỉ tiêu')),
                        ('plan', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='plans.plan', verbose_name='kế hoạch')),
                        ('province', models.ForeignKey(blank=True, db_constraint=False, help_text='Tỉnh có kết quả được dùng để đánh giá.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='indicators.province', verbose_name='tỉnh')),
                        ('subindex', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='indicators.subindex', verbose_name='chỉ số thành phần')),
                    ],
                    options={
                        'verbose_name': 'historical mục tiêu',
                        'verbose_name_plural': 'historical mục tiêu',
                        'db_table': 'indicators_historicaltarget',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='Target',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('year', models.PositiveIntegerField(verbose_name='năm mục tiêu')),
                        ('baseline_year', models.PositiveIntegerField(blank=True, null=True, verbose_name='năm gốc')),
                        ('baseline_rank', models.PositiveIntegerField(blank=True, null=True, verbose_name='xếp hạng năm gốc')),
                        ('baseline_score', models.DecimalField(blank=True, decimal_places=2, max_digits=7, null=True, verbose_name='điểm năm gốc')),
                        ('baseline_out_of', models.PositiveIntegerField(blank=True, null=True, verbose_name='trên tổng số (năm gốc)')),
                        ('text', models.TextField(blank=True, verbose_name='nội dung mục tiêu (nguyên văn)')),
                        ('order', models.PositiveIntegerField(default=0)),
                        ('index', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='targets', to='indicators.index', verbose_name='bộ chỉ số')),
                        ('indicator', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='targets', to='indicators.indicator', verbose_name='chỉ tiêu')),
                        ('plan', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='targets', to='plans.plan', verbose_name='kế hoạch')),
                        ('province', models.ForeignKey(help_text='Tỉnh có kết quả được dùng để đánh giá.', on_delete=django.db.models.deletion.PROTECT, related_name='targets', to='indicators.province', verbose_name='tỉnh')),
                        ('subindex', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='targets', to='indicators.subindex', verbose_name='chỉ số thành phần')),
                    ],
                    options={
                        'verbose_name': 'mục tiêu',
                        'verbose_name_plural': 'mục tiêu',
                        'db_table': 'indicators_target',
                        'ordering': ['plan', 'year', 'order', 'id'],
                    },
                ),
                migrations.CreateModel(
                    name='HistoricalGoal',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('score_gte', 'Điểm số từ … trở lên (≥)'), ('score_gt', 'Điểm số trên … (>)'), ('score_up_by', 'Tăng … điểm so với năm gốc'), ('score_improve', 'Tăng điểm so với năm gốc'), ('rank_lte', 'Xếp hạng trong top … (≤)'), ('rank_band', 'Xếp hạng trong khoảng …–…'), ('rank_up_by', 'Tăng … bậc so với năm gốc'), ('rank_improve', 'Nâng vị trí xếp hạng so với năm gốc'), ('keep_rank', 'Giữ vững vị trí xếp hạng'), ('keep_lead', 'Giữ vị trí dẫn đầu (hạng 1)'), ('top_in_region', 'Trong top … của vùng'), ('tier', 'Thuộc nhóm xếp loại … trở lên'), ('increase', 'Tăng dần qua các năm (đánh giá thủ công)')], max_length=20, verbose_name='loại chỉ tiêu')),
                        ('value', models.DecimalField(blank=True, decimal_places=2, max_digits=7, null=True, verbose_name='giá trị')),
                        ('low', models.PositiveIntegerField(blank=True, null=True, verbose_name='hạng từ')),
                        ('high', models.PositiveIntegerField(blank=True, null=True, verbose_name='hạng đến')),
                        ('out_of', models.PositiveIntegerField(blank=True, null=True, verbose_name='trên tổng số')),
                        ('tier', models.CharField(blank=True, max_length=30, verbose_name='nhóm xếp loại')),
                        ('min_count', models.PositiveSmallIntegerField(blank=True, help_text='Với mục tiêu cho nhóm chỉ số: “3 trong 7 chỉ số…”. Để trống: mọi chỉ số của nhóm phải đạt.', null=True, verbose_name='số chỉ số tối thiểu đạt')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('region', models.ForeignKey(blank=True, db_constraint=False, help_text='Vùng theo danh mục, của giai đoạn chứa năm mục tiêu (trước hoặc sau sắp xếp năm 2025).', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='indicators.region', verbose_name='vùng')),
                        ('target', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='plans.target', verbose_name='mục tiêu')),
                    ],
                    options={
                        'verbose_name': 'historical điều kiện',
                        'verbose_name_plural': 'historical điều kiện',
                        'db_table': 'indicators_historicalgoal',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='Goal',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('score_gte', 'Điểm số từ … trở lên (≥)'), ('score_gt', 'Điểm số trên … (>)'), ('score_up_by', 'Tăng … điểm so với năm gốc'), ('score_improve', 'Tăng điểm so với năm gốc'), ('rank_lte', 'Xếp hạng trong top … (≤)'), ('rank_band', 'Xếp hạng trong khoảng …–…'), ('rank_up_by', 'Tăng … bậc so với năm gốc'), ('rank_improve', 'Nâng vị trí xếp hạng so với năm gốc'), ('keep_rank', 'Giữ vững vị trí xếp hạng'), ('keep_lead', 'Giữ vị trí dẫn đầu (hạng 1)'), ('top_in_region', 'Trong top … của vùng'), ('tier', 'Thuộc nhóm xếp loại … trở lên'), ('increase', 'Tăng dần qua các năm (đánh giá thủ công)')], max_length=20, verbose_name='loại chỉ tiêu')),
                        ('value', models.DecimalField(blank=True, decimal_places=2, max_digits=7, null=True, verbose_name='giá trị')),
                        ('low', models.PositiveIntegerField(blank=True, null=True, verbose_name='hạng từ')),
                        ('high', models.PositiveIntegerField(blank=True, null=True, verbose_name='hạng đến')),
                        ('out_of', models.PositiveIntegerField(blank=True, null=True, verbose_name='trên tổng số')),
                        ('tier', models.CharField(blank=True, max_length=30, verbose_name='nhóm xếp loại')),
                        ('min_count', models.PositiveSmallIntegerField(blank=True, help_text='Với mục tiêu cho nhóm chỉ số: “3 trong 7 chỉ số…”. Để trống: mọi chỉ số của nhóm phải đạt.', null=True, verbose_name='số chỉ số tối thiểu đạt')),
                        ('region', models.ForeignKey(blank=True, help_text='Vùng theo danh mục, của giai đoạn chứa năm mục tiêu (trước hoặc sau sắp xếp năm 2025).', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='goals', to='indicators.region', verbose_name='vùng')),
                        ('target', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='goals', to='plans.target', verbose_name='mục tiêu')),
                    ],
                    options={
                        'verbose_name': 'điều kiện',
                        'verbose_name_plural': 'điều kiện',
                        'db_table': 'indicators_goal',
                        'ordering': ['target', 'id'],
                    },
                ),
                migrations.CreateModel(
                    name='TargetMember',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('baseline_rank', models.PositiveIntegerField(blank=True, null=True, verbose_name='xếp hạng năm gốc')),
                        ('baseline_score', models.DecimalField(blank=True, decimal_places=2, max_digits=7, null=True, verbose_name='điểm năm gốc')),
                        ('subindex', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='indicators.subindex', verbose_name='chỉ số thành phần')),
                        ('target', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='plans.target')),
                    ],
                    options={
                        'verbose_name': 'chỉ số của nhóm',
                        'verbose_name_plural': 'chỉ số của nhóm',
                        'db_table': 'indicators_target_subindex_group',
                    },
                ),
                migrations.AddField(
                    model_name='target',
                    name='subindex_group',
                    field=models.ManyToManyField(blank=True, related_name='group_targets', through='plans.TargetMember', to='indicators.subindex', verbose_name='nhóm chỉ số thành phần'),
                ),
                migrations.AddConstraint(
                    model_name='targetmember',
                    constraint=models.UniqueConstraint(fields=('target', 'subindex'), name='indicators_target_subin_target_id_subindex_id_uniq'),
                ),
            ],
        ),
        migrations.RunPython(forwards, backwards),
    ]
