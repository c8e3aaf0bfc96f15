"""Development and benchmark tooling, not part of the product.

Loaded only when settings.DEVTOOLS is on (by default with DEBUG; `DEVTOOLS=1` for a benchmark database
without DEBUG): the `generate_scale_data` command and the scale data it makes, the logins the bench
scripts use, and the X-Query-Count middleware that bench/pages.py reads (only with QUERY_COUNT_HEADER).
"""
