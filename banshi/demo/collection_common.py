"""What the demo's collection records share."""

import datetime as dt

# the mobilisation meeting: the campaign period ("截至目前") counts from here
CAMPAIGN_START = dt.date(2026, 3, 5)
