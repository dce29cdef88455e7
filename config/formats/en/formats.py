# Only what differs from Django's English formats; the rest falls through to django/conf/locale/en/formats.py.
SHORT_DATE_FORMAT = "j M Y"  # 31 Dec 2020
