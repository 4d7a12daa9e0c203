# Django's formats for this language give no date-and-time formats, so events were written the American way
# ("Jan. 17, 2027, 10 a.m."): the same style as the language's dates, with the time after them.
from django.conf.locale.bg.formats import *  # noqa: F403
from django.conf.locale.bg.formats import SHORT_DATE_FORMAT

DATETIME_FORMAT = "d F Y, H:i"
SHORT_DATETIME_FORMAT = f"{SHORT_DATE_FORMAT} H:i"
YEAR_MONTH_FORMAT = "F Y"
