from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Goal, Index, Indicator, Province, Result, SubIndex, SubIndexName, Target


class SubIndexInline(admin.TabularInline):
    model = SubIndex
    extra = 0


@admin.register(Index)
class IndexAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "publisher", "first_year"]
    search_fields = ["code", "name", "name_en"]
    inlines = [SubIndexInline]


class SubIndexNameInline(admin.TabularInline):
    model = SubIndexName
    extra = 0


@admin.register(SubIndex)
class SubIndexAdmin(admin.ModelAdmin):
    list_display = ["__str__", "index", "number", "weight", "name_en"]
    list_filter = ["index"]
    search_fields = ["name", "name_en", "names__name"]
    inlines = [SubIndexNameInline]


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "subindex", "group", "from_year", "to_year"]
    list_filter = ["subindex__index", "subindex", "group"]
    search_fields = ["code", "name", "name_en"]


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind", "region", "valid_from", "valid_to", "successor"]
    list_filter = ["kind", "region", "valid_to", "valid_from"]
    search_fields = ["name", "name_en", "code"]
    autocomplete_fields = ["successor"]


@admin.register(Result)
class ResultAdmin(admin.ModelAdmin):
    list_display = ["province", "year", "index", "subindex", "indicator", "score", "rank", "out_of", "tier"]
    list_filter = ["year", "index", "subindex", "tier"]
    search_fields = ["province__name", "source"]
    autocomplete_fields = ["province", "subindex", "indicator"]


class GoalInline(admin.TabularInline):
    model = Goal
    extra = 1


@admin.register(Target)
class TargetAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "plan", "year", "baseline_year", "baseline_rank", "baseline_score"]
    list_filter = ["year", "index", "subindex", "plan"]
    search_fields = ["text", "plan__number", "plan__title"]
    autocomplete_fields = ["plan", "subindex", "indicator", "province"]
    filter_horizontal = ["subindex_group"]
    inlines = [GoalInline]
