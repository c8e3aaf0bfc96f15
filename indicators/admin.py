from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from pci_portal.admin import AppendOnlyAdminMixin

from .models import (
    Index,
    Indicator,
    Province,
    Region,
    Result,
    SubIndex,
    SubIndexName,
    TierLevel,
)


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
    list_display = ["name", "code", "kind", "region", "valid_from", "valid_to", "successor", "renamed_to"]
    list_filter = ["kind", "region", "valid_to", "valid_from"]
    search_fields = ["name", "name_en", "code"]
    autocomplete_fields = ["successor"]


@admin.register(Result)
class ResultAdmin(SimpleHistoryAdmin):
    list_display = ["province", "year", "index", "subindex", "indicator", "score", "rank", "out_of", "tier"]
    list_display += ["illustrative"]
    list_filter = ["year", "index", "subindex", "tier", "illustrative"]
    search_fields = ["province__name", "source"]
    autocomplete_fields = ["province", "subindex", "indicator"]


@admin.register(Result.history.model)
class HistoricalResultAdmin(AppendOnlyAdminMixin, admin.ModelAdmin):
    """Who changed which published result, when, to what: read only (history rows are never edited)."""

    list_display = ["history_date", "history_user", "history_type", "province", "year", "index", "subindex"]
    list_display += ["score", "rank", "tier"]
    list_filter = ["history_type", "year", "index"]
    search_fields = ["province__name", "history_user__username", "history_user__full_name"]
    date_hierarchy = "history_date"


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "from_year", "to_year"]
    list_filter = ["from_year", "to_year"]
    search_fields = ["name", "code"]
    filter_horizontal = ["provinces"]


@admin.register(TierLevel)
class TierLevelAdmin(admin.ModelAdmin):
    list_display = ["name", "index", "code", "position", "from_year", "to_year"]
    list_filter = ["index"]
