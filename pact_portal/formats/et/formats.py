# Django's formats for this language give no date-and-time formats, so events were written the American way
# ("Jan. 17, 2027, 10 a.m."): the same style as the language's dates, with the time after them.
from django.conf.locale.et.formats import *  # noqa: F403
from django.conf.locale.et.formats import SHORT_DATE_FORMAT

DATETIME_FORMAT = "j. F Y, G:i"
SHORT_DATETIME_FORMAT = f"{SHORT_DATE_FORMAT} G:i"
YEAR_MONTH_FORMAT = "F Y"
