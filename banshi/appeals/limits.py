"""The numbers the appeal rules share, named once: forms, API schemas, actions and the
importer read them from here, so the page, the OpenAPI document and the refusal agree."""

import datetime as dt

TITLE_MAX = 200  # an appeal's or a problem's title, a milestone's name
CONTENT_MAX = 20_000  # what the resident wrote
NOTE_MAX = 2_000  # reasons, notes, instructions, comments
ANSWER_MAX = 5_000  # a unit's answer to a 督办 order
REPLY_MAX = 10_000  # replies to residents, a problem's description and plan
NAME_MAX = 100  # a resident's name
PHONE_MAX = 40  # what a phone field accepts before the phone rule judges it
ADDRESS_MAX = 255
EXTERNAL_ID_MAX = 64  # a message board's 留言编号

# Photos: with an appeal, a unit's answer or a progress note (web forms and the API alike).
PHOTOS_MAX = 5  # photos sent at once
PHOTO_BYTES_MAX = 5 * 1024 * 1024  # one photo, judged by its bytes
PHOTO_BASE64_MAX = 4 * -(-PHOTO_BYTES_MAX // 3)  # one photo as base64 text in the API
PHOTO_NAME_MAX = 200  # a photo's file name as sent
PHOTO_LINK_SECONDS = 10 * 60  # a resident's signed photo link lasts this long
# The largest request body read into memory (Django's DATA_UPLOAD_MAX_MEMORY_SIZE): the API's
# JSON with its most photos as base64, and room for the text around them.
REQUEST_BODY_MAX = PHOTOS_MAX * PHOTO_BASE64_MAX + 1024 * 1024

PAGE_SIZE = 50  # API list pages
PAGE_SIZE_MAX = 200

# Dates an appeal may carry (collected, filtered on, due): anything outside is a typo or an
# attack, and years like 0001 or 9999 overflow time zone arithmetic.
EARLIEST_DATE = dt.date(2000, 1, 1)
LATEST_DATE = dt.date(2100, 12, 31)
