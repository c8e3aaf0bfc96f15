import django.db.models.deletion
from django.db import migrations, models


def load(apps, schema_editor):
    from indicators.reference import load_reference

    load_reference(apps.get_model)


def goals_to_regions(apps, schema_editor):
    """A region typed as text becomes the region of the list with that name, in the target year's period."""
    Goal = apps.get_model("indicators", "Goal")
    Region = apps.get_model("indicators", "Region")
    for goal in Goal.objects.exclude(region="").select_related("target"):
        year = goal.target.year
        candidates = Region.objects.filter(name__iexact=goal.region.strip())
        match = next(
            (
                r
                for r in candidates
                if (r.from_year is None or r.from_year <= year) and (r.to_year is None or year <= r.to_year)
            ),
            None,
        )
        if match is not None:
            goal.region_ref = match
            goal.save(update_fields=["region_ref"])


class Migration(migrations.Migration):
    dependencies = [("indicators", "0005_goal_kinds_min_count_index_unit")]

    operations = [
        migrations.AddField(
            model_name="province",
            name="renamed_to",
            field=models.CharField(
                blank=True,
                help_text="Thừa Thiên Huế mang tên Huế từ ngày 01/01/2025.",
                max_length=120,
                verbose_name="tên mới",
            ),
        ),
        migrations.AddField(
            model_name="province",
            name="renamed_on",
            field=models.DateField(blank=True, null=True, verbose_name="đổi tên từ ngày"),
        ),
        migrations.CreateModel(
            name="Region",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("code", models.SlugField(max_length=30, unique=True, verbose_name="mã")),
                ("name", models.CharField(max_length=120, verbose_name="tên")),
                ("name_en", models.CharField(blank=True, max_length=120, verbose_name="tên tiếng Anh")),
                ("from_year", models.PositiveIntegerField(blank=True, null=True, verbose_name="từ năm")),
                ("to_year", models.PositiveIntegerField(blank=True, null=True, verbose_name="đến năm")),
                (
                    "provinces",
                    models.ManyToManyField(
                        related_name="regions", to="indicators.province", verbose_name="tỉnh, thành phố"
                    ),
                ),
            ],
            options={"verbose_name": "vùng", "verbose_name_plural": "vùng", "ordering": ["id"]},
        ),
        migrations.CreateModel(
            name="TierLevel",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("code", models.SlugField(max_length=30, verbose_name="mã")),
                ("name", models.CharField(max_length=120, verbose_name="tên")),
                ("name_en", models.CharField(blank=True, max_length=120, verbose_name="tên tiếng Anh")),
                ("position", models.PositiveSmallIntegerField(default=0, verbose_name="thứ tự (0 là cao nhất)")),
                ("from_year", models.PositiveIntegerField(blank=True, null=True, verbose_name="từ năm")),
                ("to_year", models.PositiveIntegerField(blank=True, null=True, verbose_name="đến năm")),
                (
                    "index",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="tiers",
                        to="indicators.index",
                        verbose_name="bộ chỉ số",
                    ),
                ),
            ],
            options={
                "verbose_name": "nhóm xếp loại",
                "verbose_name_plural": "nhóm xếp loại",
                "ordering": ["index", "position"],
                "constraints": [
                    models.UniqueConstraint(fields=("index", "code", "from_year"), name="uniq_tier_level")
                ],
            },
        ),
        migrations.AlterField(
            model_name="result",
            name="tier",
            field=models.CharField(
                blank=True,
                help_text="Nhóm điều hành của PCI, nhóm của PAPI…",
                max_length=30,
                verbose_name="nhóm xếp loại",
            ),
        ),
        migrations.AlterField(
            model_name="goal",
            name="tier",
            field=models.CharField(blank=True, max_length=30, verbose_name="nhóm xếp loại"),
        ),
        # The group's table (made by Django for the M2M) becomes TargetMember, with per-member baselines.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="TargetMember",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID"),
                        ),
                        (
                            "target",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE, to="indicators.target"
                            ),
                        ),
                        (
                            "subindex",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                to="indicators.subindex",
                                verbose_name="chỉ số thành phần",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "indicators_target_subindex_group",
                        "verbose_name": "chỉ số của nhóm",
                        "verbose_name_plural": "chỉ số của nhóm",
                    },
                ),
                migrations.AlterField(
                    model_name="target",
                    name="subindex_group",
                    field=models.ManyToManyField(
                        blank=True,
                        related_name="group_targets",
                        through="indicators.TargetMember",
                        to="indicators.subindex",
                        verbose_name="nhóm chỉ số thành phần",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="targetmember",
                    constraint=models.UniqueConstraint(
                        fields=("target", "subindex"), name="indicators_target_subin_target_id_subindex_id_uniq"
                    ),
                ),
            ],
            database_operations=[],
        ),
        migrations.AddField(
            model_name="targetmember",
            name="baseline_rank",
            field=models.PositiveIntegerField(blank=True, null=True, verbose_name="xếp hạng năm gốc"),
        ),
        migrations.AddField(
            model_name="targetmember",
            name="baseline_score",
            field=models.DecimalField(
                blank=True, decimal_places=2, max_digits=7, null=True, verbose_name="điểm năm gốc"
            ),
        ),
        migrations.AddField(
            model_name="goal",
            name="region_ref",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="goals",
                to="indicators.region",
                verbose_name="vùng",
            ),
        ),
        migrations.RunPython(load, migrations.RunPython.noop),
        migrations.RunPython(goals_to_regions, migrations.RunPython.noop),
        migrations.RemoveField(model_name="goal", name="region"),
        migrations.RemoveField(model_name="goal", name="region_size"),
        migrations.RenameField(model_name="goal", old_name="region_ref", new_name="region"),
        migrations.AlterField(
            model_name="goal",
            name="region",
            field=models.ForeignKey(
                blank=True,
                help_text="Vùng theo danh mục, của giai đoạn chứa năm mục tiêu (trước hoặc sau sắp xếp năm 2025).",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="goals",
                to="indicators.region",
                verbose_name="vùng",
            ),
        ),
    ]
