"""The demo district (中原区): reference data, an account for every role and unit, and appeals
driven through the real actions — `banshi seed-demo`."""
