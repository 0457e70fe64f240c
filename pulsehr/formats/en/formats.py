"""Django's English formats, with the time zone named after every date and time it shows: staff
pages show times in their workspace's zone (pulsehr.tenancy.middleware), so they say which
("Dec. 5, 2026, 9:48 a.m. CET")."""

from django.conf.locale.en.formats import *  # noqa: F403 (the rest of English, unchanged)

DATETIME_FORMAT = "N j, Y, P T"
SHORT_DATETIME_FORMAT = "m/d/Y P T"
