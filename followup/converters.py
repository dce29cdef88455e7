from .tertials import Tertial


class TertialConverter:
    """A tertial in a URL as its code, e.g. /uppfoljning/12/2020T1/."""

    regex = r"\d{4}T[1-3]"

    def to_python(self, value):
        return Tertial.parse(value)

    def to_url(self, value):
        return value.code if isinstance(value, Tertial) else str(value)
