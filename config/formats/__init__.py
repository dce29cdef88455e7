"""The project's own date formats, on top of Django's (FORMAT_MODULE_PATH): a short date reads "31 dec. 2020" in
Swedish and "31 Dec 2020" in English, never an English abbreviation on a Swedish page.

Swedish month abbreviations follow Språkrådet (jan., febr., mars, apr., maj, juni, juli, aug., sept., okt., nov.,
dec.): Django's own catalog drops the period, so the project's catalog translates the "abbrev. month" strings that
the date format letter N uses. They are marked here so that makemessages keeps them in locale/.
"""

from django.utils.translation import pgettext_lazy

MONTH_ABBREVIATIONS = (
    pgettext_lazy("abbrev. month", "Jan."),
    pgettext_lazy("abbrev. month", "Feb."),
    pgettext_lazy("abbrev. month", "March"),
    pgettext_lazy("abbrev. month", "April"),
    pgettext_lazy("abbrev. month", "May"),
    pgettext_lazy("abbrev. month", "June"),
    pgettext_lazy("abbrev. month", "July"),
    pgettext_lazy("abbrev. month", "Aug."),
    pgettext_lazy("abbrev. month", "Sept."),
    pgettext_lazy("abbrev. month", "Oct."),
    pgettext_lazy("abbrev. month", "Nov."),
    pgettext_lazy("abbrev. month", "Dec."),
)
