"""CSV for the open data lists: one row per object, in the same columns as the JSON.

The file is made for a spreadsheet as much as for a program, in the portal's one CSV dialect
(:func:`followup.documents.sheets.csv_bytes`): UTF-8 with a byte order mark, without which Excel guesses
Windows-1252 and garbles å, ä and ö; semicolons between fields, because Swedish Excel splits on its list
separator ";" and would leave a comma-separated file in one column; a decimal comma; and free text that a
spreadsheet would run as a formula kept as text with a leading apostrophe. The ``csv`` module reads it with
``delimiter=";"``.

Nested values are flattened: a list becomes one cell with its items joined by "; " (a list of objects by
their titles), an object becomes "key: value" pairs. A view may name one nested list of objects to
*expand* instead (``csv_expand``): the file then has one row per item of that list, the parent's columns
repeated, and the item's fields as columns prefixed with the list's name, e.g. ``activities.achieved``.
"""

from rest_framework import renderers, serializers

from followup.documents.sheets import as_text_cell, csv_bytes

LIST_SEPARATOR = "; "


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value).replace(".", ",")
    if isinstance(value, dict):
        if "title" in value:
            return _text(value["title"])
        return LIST_SEPARATOR.join(f"{key}: {_text(item)}" for key, item in value.items())
    if isinstance(value, list | tuple):
        return LIST_SEPARATOR.join(_text(item) for item in value)
    return str(value)


def _cell(value) -> str:
    text = _text(value)
    return as_text_cell(text) if isinstance(value, str | list | tuple | dict) else text


class CSVRenderer(renderers.BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        view = renderer_context["view"]
        if isinstance(data, dict):
            data = data["results"]  # a page of results, should a view ever hand one over
        expand = getattr(view, "csv_expand", None)
        columns = self._columns(view.get_serializer(), expand)

        return csv_bytes(columns, ([_cell(row.get(column)) for column in columns] for row in self._rows(data, expand)))

    @staticmethod
    def _columns(serializer, expand):
        """The serializer's fields rather than the data's keys, so that an empty list still has its header."""
        columns = []
        for name, field in serializer.fields.items():
            if name == expand and isinstance(field, serializers.ListSerializer):
                columns.extend(f"{expand}.{child}" for child in field.child.fields)
            else:
                columns.append(name)
        return columns

    @staticmethod
    def _rows(data, expand):
        for item in data:
            if not expand or expand not in item:
                yield item
                continue
            parent = {key: value for key, value in item.items() if key != expand}
            children = item[expand] or [{}]
            for child in children:
                yield {**parent, **{f"{expand}.{key}": value for key, value in child.items()}}
