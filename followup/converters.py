from .periods import URL_REGEX, parse_code


class TertialConverter:
    """A follow-up period in a URL as its code, e.g. /uppfoljning/12/2020T1/ (or 2020H1, 2020Q1, 2020, 2020P1)."""

    regex = URL_REGEX

    def to_python(self, value):
        return parse_code(value)

    def to_url(self, value):
        return value.code if hasattr(value, "code") else str(value)
