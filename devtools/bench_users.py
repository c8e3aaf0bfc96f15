"""Logins of the scale data that bench/pages.py uses (no Django import: the bench script reads it as is)."""

PASSWORD = "bench12345"
# One of each role that reads the main pages.
BENCH_USERS = {
    "leader": "scale.lanhdao",  # leadership of the province People's Committee: reads everything
    "focal": "scale.daumoi",  # focal office of the first agency
    "official": "scale.chuyenvien",  # official of a division of the first agency
}
