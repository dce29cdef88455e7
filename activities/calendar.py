"""ICS calendar of planned public activities (placeholder: being written)."""


def municipality_calendar(request, municipality):
    raise NotImplementedError
