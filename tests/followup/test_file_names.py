"""Download names say each word once and still tell the files apart (issue 18: "strangnas-strangnas-2020-2020T1")."""

from followup.documents.names import file_name


def test_a_word_already_said_is_left_out():
    assert file_name("medborgarlofte", "strangnas", "strangnas-2020", "2020T1") == "medborgarlofte-strangnas-2020T1"
    assert file_name("medborgarlofte", "strangnas-2020", "2020") == "medborgarlofte-strangnas-2020"


def test_names_of_different_promises_and_tertials_differ():
    names = {
        file_name("medborgarlofte", "strangnas", slug, code)
        for slug in ("strangnas-2020", "strangnas-2020-trygghet", "mariefred-2020")
        for code in ("2020T1", "2020T2", "2021T1")
    }
    assert len(names) == 9
