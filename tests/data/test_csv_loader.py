"""load_csv on real files: layouts, labels, delimiters, quoting, every error sentence, dropping rows, chunks and speed paths."""

import gzip

import numpy as np
import pytest

from designer.data import CLASSIFICATION, REGRESSION, DataError, MissingDataError, load_csv
from designer.data import csv_loader

IRIS_LIKE = """sepal,petal,species
5.1,1.4,setosa
7.0,4.7,versicolor
6.3,6.0,virginica
4.9,1.4,setosa
6.4,4.5,versicolor
"""


def wine_text(rows=20, bad=None, short=None):
    """A 13-column wine table with a header; `bad` = (row, column, text) puts text in a cell (spreadsheet row)."""
    names = ["alcohol", "malic acid", "ash", "alcalinity", "magnesium", "phenols", "flavanoids",
             "nonflavanoid", "proanthocyanins", "colour", "hue", "od280", "class"]
    lines = [",".join(names)]
    for i in range(rows):
        cells = [f"{12 + i % 3 + j / 10:.2f}" for j in range(12)] + [str(i % 3 + 1)]
        row = i + 2
        if bad and bad[0] == row:
            cells[names.index(bad[1])] = bad[2]
        if short == row:
            cells = cells[:12]
        lines.append(",".join(cells))
    return "\n".join(lines) + "\n"


def test_string_labels_become_sorted_classes_with_the_target_last(write):
    data = load_csv(write("iris.csv", IRIS_LIKE))
    assert data.kind == CLASSIFICATION
    assert data.classes == ["setosa", "versicolor", "virginica"]
    assert data.y.tolist() == [0, 1, 2, 0, 1]
    assert data.y.dtype == np.int64 and data.X.dtype == np.float32
    assert np.array_equal(data.X, np.float32([[5.1, 1.4], [7.0, 4.7], [6.3, 6.0], [4.9, 1.4], [6.4, 4.5]]))
    assert data.feature_names == ["sepal", "petal"]
    assert data.name == "iris" and data.source == "iris.csv"
    assert data.sample_shape == (2,)


def test_class_order_does_not_depend_on_row_order(write):
    shuffled = "a,label\n1,zebra\n2,apple\n3,mango\n4,apple\n"
    data = load_csv(write("z.csv", shuffled))
    assert data.classes == ["apple", "mango", "zebra"]
    assert data.y.tolist() == [2, 0, 1, 0]


def test_target_first_by_name(write):
    text = "species,sepal,petal\nsetosa,5.1,1.4\nvirginica,6.3,6.0\n"
    data = load_csv(write("first.csv", text), target="species")
    assert data.classes == ["setosa", "virginica"]
    assert np.array_equal(data.X, np.float32([[5.1, 1.4], [6.3, 6.0]]))
    assert data.feature_names == ["sepal", "petal"]


def test_target_by_name_ignores_case_when_nothing_matches_exactly(write):
    data = load_csv(write("first.csv", "Species,x\na,1\nb,2\n"), target="species")
    assert data.classes == ["a", "b"] and data.feature_names == ["x"]


@pytest.mark.parametrize("target", [1, -2, "label"])
def test_target_in_the_middle_by_index_or_name(write, target):
    text = "x1,label,x2\n1,cat,10\n2,dog,20\n3,cat,30\n"
    data = load_csv(write("mid.csv", text), target=target)
    assert data.feature_names == ["x1", "x2"]
    assert data.X.tolist() == [[1, 10], [2, 20], [3, 30]]
    assert data.classes == ["cat", "dog"] and data.y.tolist() == [0, 1, 0]


def test_whole_number_labels_are_classes_sorted_by_value(write):
    text = "x,y\n" + "".join(f"{i},{label}\n" for i, label in enumerate([10, 2, 9, 2, 10]))
    data = load_csv(write("n.csv", text))
    assert data.kind == CLASSIFICATION
    assert data.classes == ["2", "9", "10"]
    assert data.y.tolist() == [2, 0, 1, 0, 2]


def test_fractional_targets_mean_regression(write):
    data = load_csv(write("r.csv", "x,price\n1,1.5\n2,2.25\n3,1.5\n"))
    assert data.kind == REGRESSION and data.classes == []
    assert data.y.dtype == np.float32 and data.y.tolist() == [1.5, 2.25, 1.5]


def test_many_distinct_whole_numbers_mean_regression(write):
    many = "x,count\n" + "".join(f"{i},{i * 3}\n" for i in range(21))
    assert load_csv(write("many.csv", many)).kind == REGRESSION
    few = "x,count\n" + "".join(f"{i},{i % 20}\n" for i in range(40))
    assert load_csv(write("few.csv", few)).kind == CLASSIFICATION


def test_kind_overrides_the_guess(write):
    path = write("k.csv", "x,t\n1,0\n2,1\n3,1\n")
    regression = load_csv(path, kind="regression")
    assert regression.kind == REGRESSION and regression.y.tolist() == [0.0, 1.0, 1.0]
    fractional = write("f.csv", "x,t\n1,0.5\n2,1\n3,1.0\n4,0.5\n")
    classes = load_csv(fractional, kind="classification")
    assert classes.classes == ["0.5", "1"]  # "1" and "1.0" are the same class
    assert classes.y.tolist() == [0, 1, 1, 0]


def test_no_header_is_detected_and_columns_are_numbered(write, sentence):
    data = load_csv(write("plain.csv", "1,2,a\n3,4,b\n5,6,a\n"))
    assert len(data) == 3 and data.feature_names == ["column 1", "column 2"]
    with pytest.raises(DataError) as error:
        load_csv(write("plain2.csv", "1,2,a\n3,x,b\n"))
    assert sentence(error) == 'plain2.csv, row 2, column 2: "x" is not a number.'


def test_header_and_delimiter_can_be_forced(write):
    numbers = "1;2;0\n3;4;1\n5;6;0\n"
    data = load_csv(write("forced.csv", numbers), has_header=True, delimiter=";")
    assert len(data) == 2 and data.feature_names == ["1", "2"]
    data = load_csv(write("pipes.csv", "a|b|c\n1|2|x\n3|4|y\n"), delimiter="|")
    assert data.X.tolist() == [[1, 2], [3, 4]]


@pytest.mark.parametrize("delimiter", [";", "\t"])
def test_semicolon_and_tab_delimiters_are_detected(write, delimiter):
    text = IRIS_LIKE.replace(",", delimiter)
    data = load_csv(write("d.csv", text))
    assert data.feature_names == ["sepal", "petal"]
    assert data.classes == ["setosa", "versicolor", "virginica"]


def test_semicolons_with_decimal_points_inside_quotes(write):
    text = 'a;b;label\n"1.5";2;"x; y"\n3;4;z\n'
    data = load_csv(write("semi.csv", text))
    assert data.X.tolist() == [[1.5, 2], [3, 4]]
    assert data.classes == ["x; y", "z"]


def test_quoted_fields_with_delimiters_quotes_and_line_breaks(write, sentence):
    text = 'x,"size, cm",label\n1,"2.5","big, ""red"""\n2,3,"two\nlines"\n3,4,plain\n4,oops,plain\n'
    with pytest.raises(DataError) as error:
        load_csv(write("quoted.csv", text))
    # the label with a line break is one row: "4,oops" is the file's 6th line but the spreadsheet's 5th row
    assert sentence(error) == 'quoted.csv, row 5, column "size, cm": "oops" is not a number.'
    data = load_csv(write("quoted2.csv", text.replace("oops", "5")))
    assert data.feature_names == ["x", "size, cm"]
    assert data.classes == ['big, "red"', "plain", "two\nlines"]
    assert data.X[:, 1].tolist() == [2.5, 3, 4, 5]


def test_blank_rows_are_skipped_but_counted(write, sentence):
    text = "a,b,c\n\n1,2,x\n,,\n\n3,4,y\n5,?,x\n"
    with pytest.raises(DataError) as error:
        load_csv(write("blank.csv", text))
    assert sentence(error) == 'blank.csv, row 7, column "b": "?" is not a number.'
    assert len(load_csv(write("blank2.csv", text.replace("?", "6")))) == 3


def test_windows_line_ends_byte_order_mark_and_gzip(write):
    text = "\ufeff" + IRIS_LIKE.replace("\n", "\r\n")
    for data in (load_csv(write("win.csv", text)), load_csv(write("win.csv.gz", gzip.compress(text.encode())))):
        assert data.feature_names == ["sepal", "petal"]
        assert data.classes == ["setosa", "versicolor", "virginica"]
        assert len(data) == 5
    assert load_csv(write("win.csv.gz", gzip.compress(text.encode()))).name == "win"


def test_a_cell_that_is_not_a_number_names_file_row_and_column(write, sentence):
    with pytest.raises(DataError) as error:
        load_csv(write("wine.csv", wine_text(bad=(17, "alcohol", "n/a"))))
    assert sentence(error) == 'wine.csv, row 17, column "alcohol": "n/a" is not a number.'


def test_a_ragged_row(write, sentence):
    with pytest.raises(DataError) as error:
        load_csv(write("wine.csv", wine_text(short=9)))
    assert sentence(error) == "wine.csv, row 9 has 12 cells but the header has 13."
    with pytest.raises(DataError) as error:
        load_csv(write("plain.csv", "1,2,3\n4,5,6\n7,8\n"))
    assert sentence(error) == "plain.csv, row 3 has 2 cells but row 1 has 3."


@pytest.mark.parametrize("cell, message", [
    ("", 'wine.csv, row 5, column "ash" is empty.'),
    ("  ", 'wine.csv, row 5, column "ash" is empty.'),
    ("inf", 'wine.csv, row 5, column "ash": "inf" is not a finite number.'),
    ("nan", 'wine.csv, row 5, column "ash": "nan" is not a finite number.'),
    ("1,5", 'wine.csv, row 5, column "ash": "1,5" is not a number.'),
])
def test_empty_and_non_finite_cells(write, sentence, cell, message):
    text = wine_text(bad=(5, "ash", f'"{cell}"' if "," in cell else cell))
    with pytest.raises(DataError) as error:
        load_csv(write("wine.csv", text))
    assert sentence(error) == message


def test_an_empty_or_non_numeric_target_cell(write, sentence):
    with pytest.raises(DataError) as error:
        load_csv(write("wine.csv", wine_text(bad=(4, "class", "n/a"))))
    assert sentence(error) == 'wine.csv, row 4, column "class": "n/a" is not a number.'
    with pytest.raises(DataError) as error:
        load_csv(write("labels.csv", "a,label\n1,x\n2,\n"))
    assert sentence(error) == 'labels.csv, row 3, column "label" is empty.'


@pytest.mark.parametrize("content, message", [
    ("", "wine.csv is empty."),
    ("\n\n  \n", "wine.csv is empty."),
    ("alcohol,ash,class\n", "wine.csv has a header row but no data rows."),
    ("alcohol,ash,class\n\n\n", "wine.csv has a header row but no data rows."),
    ("alcohol\n1\n2\n", "wine.csv has only one column; a data set needs feature columns and a target column "
                        "(separated by commas, semicolons or tabs)."),
    (b"a,b\n\xff\xfe,1\n", "wine.csv is not UTF-8 text; save it as UTF-8 (CSV UTF-8 in a spreadsheet)."),
])
def test_files_without_a_table(write, sentence, content, message):
    with pytest.raises(DataError) as error:
        load_csv(write("wine.csv", content))
    assert sentence(error) == message


def test_unknown_or_impossible_targets(write, sentence):
    path = write("wine.csv", wine_text(rows=3))
    with pytest.raises(DataError) as error:
        load_csv(path, target="qualty")
    assert sentence(error) == (
        'wine.csv has no column called "qualty"; its columns are "alcohol", "malic acid", "ash", "alcalinity", '
        '"magnesium", "phenols", "flavanoids", "nonflavanoid", "proanthocyanins", "colour", "hue", "od280" and 1 more.'
    )
    with pytest.raises(DataError) as error:
        load_csv(path, target=13)
    assert sentence(error) == (
        "wine.csv has 13 columns, so there is no column 13 to use as the target (columns are numbered from 0 to 12)."
    )
    with pytest.raises(DataError) as error:
        load_csv(write("plain.csv", "1,2\n3,4\n"), target="quality")
    assert "has no header row" in sentence(error)
    with pytest.raises(DataError) as error:
        load_csv(write("twice.csv", "a,a,b\n1,2,3\n"), target="a")
    assert sentence(error) == 'twice.csv has 2 columns called "a"; give the target as a column number.'


def test_a_feature_column_of_text(write, sentence):
    with pytest.raises(DataError) as error:
        load_csv(write("cars.csv", "colour,speed\nred,10\nblue,20\n"))
    assert sentence(error) == 'cars.csv, row 2, column "colour": "red" is not a number.'


def test_a_row_the_csv_module_refuses(write, sentence):
    text = "a,b\n" + "1,2\n" * 5000 + "3," + "4" * 200_000 + "\n"
    with pytest.raises(DataError) as error:
        load_csv(write("huge.csv", text))
    assert sentence(error) == "huge.csv, row 5002 cannot be read as CSV (field larger than field limit (131072))."
    with pytest.raises(DataError) as error:
        load_csv(write("early.csv", "a,b\n1," + "4" * 200_000 + "\n5,6\n7,8\n"))
    assert sentence(error) == "early.csv cannot be read as CSV (field larger than field limit (131072))."


def test_missing_file_and_bad_arguments(tmp_path, sentence):
    with pytest.raises(MissingDataError) as error:
        load_csv(tmp_path / "gone.csv")
    assert error.value.path == tmp_path / "gone.csv"
    assert sentence(error) == f"The data file {tmp_path / 'gone.csv'} is missing."
    with pytest.raises(DataError):
        load_csv(tmp_path, target=None)
    for bad in (dict(kind="clustering"), dict(delimiter=",,"), dict(has_header="yes"), dict(target=1.5)):
        with pytest.raises(DataError) as error:
            load_csv(tmp_path / "gone.csv", **bad)
        sentence(error)


def test_drop_incomplete_drops_and_counts(write):
    text = "a,b,label\n1,2,x\n3,n/a,y\n5,6,x\n,8,z\n9,10,y\n"
    data = load_csv(write("holes.csv", text), drop_incomplete=True)
    assert data.X.tolist() == [[1, 2], [5, 6], [9, 10]]
    assert data.classes == ["x", "y"]  # "z" was only in a dropped row
    assert data.y.tolist() == [0, 0, 1]
    assert data.notes == ["2 incomplete rows dropped (rows 3, 5)."]
    assert data.source == "holes.csv, 2 incomplete rows dropped"


def test_drop_incomplete_with_nothing_left(write, sentence):
    with pytest.raises(DataError) as error:
        load_csv(write("holes.csv", "a,b\n?,1\n,2\n"), drop_incomplete=True)
    assert sentence(error) == (
        "holes.csv has no complete rows: all 2 of its rows have an empty cell or one that is not a number."
    )


def test_drop_incomplete_still_refuses_ragged_rows(write):
    with pytest.raises(DataError, match="row 9 has 12 cells"):
        load_csv(write("wine.csv", wine_text(short=9)), drop_incomplete=True)


def chunky_text():
    """Rows with quoted line breaks, blank rows and a label per row, long enough for several small chunks."""
    lines = ["x,y,label"]
    for i in range(40):
        label = f'"multi\nline {i % 3}"' if i % 7 == 0 else f"class {i % 3}"
        lines.append(f"{i},{i * 0.5},{label}")
        if i % 11 == 0:
            lines.append("")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("chunk", [1, 3, 7, 1000])
def test_chunk_boundaries_do_not_change_the_result_or_row_numbers(write, monkeypatch, sentence, chunk):
    monkeypatch.setattr(csv_loader, "CHUNK_RECORDS", chunk)
    text = chunky_text()
    data = load_csv(write("c.csv", text))
    assert data.X[:, 0].tolist() == list(range(40))
    assert len(data.classes) == 6
    bad = text.replace("33,16.5", "33,bad")
    with pytest.raises(DataError) as error:
        load_csv(write("c.csv", bad))
    # 33 data rows before it, plus the header, plus blank rows after 0, 11 and 22: row 38
    assert sentence(error) == 'c.csv, row 38, column "y": "bad" is not a number.'


def test_the_careful_path_gives_the_same_numbers_as_the_fast_one(write, monkeypatch):
    rng = np.random.default_rng(1)
    values = rng.normal(size=(300, 4)) * 10.0 ** rng.integers(-8, 8, size=(300, 4))
    text = "a,b,c,d,label\n" + "".join(",".join(repr(float(v)) for v in row) + f",{i % 4}\n" for i, row in enumerate(values))
    path = write("many.csv", text)
    fast = load_csv(path)

    def refuse(*args, **kwargs):
        raise ValueError("forced")

    monkeypatch.setattr(csv_loader.np, "loadtxt", refuse)
    careful = load_csv(path)
    assert np.array_equal(fast.X, careful.X) and np.array_equal(fast.y, careful.y)
    assert fast.classes == careful.classes == ["0", "1", "2", "3"]
    assert np.array_equal(fast.X, values.astype(np.float32))


def test_progress_is_reported_by_bytes_read(write, monkeypatch):
    monkeypatch.setattr(csv_loader, "CHUNK_RECORDS", 500)
    text = "a,b,label\n" + "".join(f"{i},{i / 7:.6f},{i % 2}\n" for i in range(5000))
    seen = []
    load_csv(write("big.csv", text), progress=seen.append)
    assert len(seen) > 5
    assert seen == sorted(seen) and 0 < seen[0] < 0.5 and seen[-1] == 1.0
