"""What the demo's collection seeders share."""

import datetime as dt

# The mobilisation meeting: the campaign period's first day ("截至目前" counts from here).
CAMPAIGN_START = dt.date(2026, 3, 5)
