# Only what differs from Django's Swedish formats; the rest falls through to django/conf/locale/sv/formats.py.
SHORT_DATE_FORMAT = "j N Y"  # 31 dec. 2020
