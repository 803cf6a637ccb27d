"""The campaign's actions: every change to a campaign record goes through one of these
modules (organisation, meetings, tasks, matters, study, supervision, exemplars), each
checking its right in `campaign.permissions` and logging to RecordEvent."""
