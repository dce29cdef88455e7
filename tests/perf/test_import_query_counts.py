"""The import pages' query counts do not grow with the data (DESIGN.md §8), at the two sizes of test_query_counts.py.

The downloads list a promise's activities, places and organisations; the review of a pasted text and the preview of
a records sheet list what they read. Each is measured at the small size and again at the large one (ten times the
activities, records, places, organisations and promises), for the same input: the counts must be equal. An upload
that saves is measured once at each size, with a sheet of its own, since saving it twice would not be the same
request.
"""

import datetime
import io
import uuid

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from activities import promise_sheet as sheets
from tests.perf.test_query_counts import sized  # noqa: F401 - the fixture that grows the world

pytestmark = pytest.mark.django_db

TEXT = (
    "Medborgarlöfte 2021\n\nLägesbild\n\nOro i centrum.\n\nPolisen och Strängnäs kommun lovar under året\n\n"
    "• Polisen kommer genomföra minst två planlagda insatser i Mariefred.\n"
    "• Strängnäs kommun kommer tillsammans med polisen genomföra trafikkontroller i samtliga kommundelar.\n"
)


def records_file():
    content = sheets.records_workbook(
        sheets.Lists(), period_start=datetime.date(2020, 1, 1), period_end=datetime.date(2020, 12, 31)
    )
    workbook = load_workbook(io.BytesIO(content))
    for day in (1, 2, 3):
        workbook["Registreringar"].append(
            [f"2020-10-0{day}", "Planlagda insatser", 1, "Mariefred", "", "Polisen Strängnäs", "Insats"]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def promise_file(title):
    sheet = sheets.PromiseSheet(
        promise={"title": title, "year": "2021", "period_start": "2021-01-01", "period_end": "2021-12-31"}
    )
    sheet.focus_areas = [sheets.Row(2, {"order": "1", "title": "Trafik", "description": ""})]
    sheet.activities = [
        sheets.Row(
            number,
            {
                "order": str(number),
                "title": f"Aktivitet {number}",
                "focus_area": "Trafik",
                "kind": "Planlagd insats",
                "lead": "Polisen Strängnäs",
                "partners": ["Strängnäs kommun"],
                "target_count": "2",
                "places": ["Mariefred"],
                "recurrence": "Löpande",
            },
        )
        for number in (2, 3, 4)
    ]
    return sheets.promise_workbook(sheet, sheets.Lists())


def upload(content):
    return SimpleUploadedFile("fil.xlsx", content, content_type=sheets.XLSX_CONTENT_TYPE)


def requests(world):
    """name -> a function making (method, path, data, expected status) anew for each request."""
    promise = world.promise.pk
    return {
        "import page": lambda: ("get", "/arbetsyta/importera/", None, 200),
        "template": lambda: ("get", "/arbetsyta/importera/mall.xlsx", None, 200),
        "export": lambda: ("get", f"/arbetsyta/loften/{promise}/loftet.xlsx", None, 200),
        "paste page": lambda: ("get", "/arbetsyta/importera/text/", None, 200),
        "paste review": lambda: (
            "post",
            "/arbetsyta/importera/text/",
            {"step": "read", "municipality": world.strangnas.pk, "text": TEXT},
            200,
        ),
        "records page": lambda: ("get", f"/arbetsyta/loften/{promise}/registreringar/importera/", None, 200),
        "records template": lambda: ("get", f"/arbetsyta/loften/{promise}/registreringar/mall.xlsx", None, 200),
        "records preview": lambda: (
            "post",
            f"/arbetsyta/loften/{promise}/registreringar/importera/",
            {"file": upload(records_file())},
            200,
        ),
    }


def measure(client, world, name):
    # A fresh session each time, as test_query_counts.py measures: a session's periodic save is no page's query.
    client.logout()
    client.force_login(world.coordinator)
    cache.clear()
    method, path, data, status = requests(world)[name]()
    with CaptureQueriesContext(connection) as queries:
        response = getattr(client, method)(path, data)
    assert response.status_code == status, (name, response.status_code)
    return [query["sql"] for query in queries], response


@pytest.mark.parametrize(
    "name",
    [
        "import page",
        "template",
        "export",
        "paste page",
        "paste review",
        "records page",
        "records template",
        "records preview",
    ],
)
def test_an_import_pages_query_count_does_not_grow_with_the_data(client, sized, name):  # noqa: F811
    world, grow = sized
    small, _response = measure(client, world, name)
    grow()
    large, _response = measure(client, world, name)
    assert len(large) == len(small), "\n".join(["small:", *small, "", "large:", *large])


def test_importing_a_promise_and_saving_records_take_as_many_queries_at_either_size(client, sized):  # noqa: F811
    world, grow = sized

    def import_and_save():
        client.logout()
        client.force_login(world.coordinator)
        with CaptureQueriesContext(connection) as made:
            response = client.post("/arbetsyta/importera/", {"file": upload(promise_file(f"Löfte {uuid.uuid4()}"))})
        # Counted at once: the next request empties the connection's log that the count is read from.
        imported = len(made)
        assert response.status_code == 302
        preview = client.post(
            f"/arbetsyta/loften/{world.promise.pk}/registreringar/importera/", {"file": upload(records_file())}
        ).context["preview"]
        with CaptureQueriesContext(connection) as saved:
            response = client.post(
                f"/arbetsyta/loften/{world.promise.pk}/registreringar/importera/", {"preview": preview}
            )
        assert response.status_code == 302
        return imported, len(saved)

    small = import_and_save()
    grow()
    assert import_and_save() == small
