"""A user's CSV: header optional, comma/semicolon/tab, columns by name or position, and clear errors."""

import numpy as np
import pytest

from engine.data.csv_reader import read_csv
from engine.settings.errors import DataError


def write(tmp_path, text, name="points.csv", mode="w"):
    path = tmp_path / name
    if mode == "wb":
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return str(path)


@pytest.mark.parametrize(
    "text",
    [
        "1,2\n3,4\n5,6\n",
        "x,y\n1,2\n3,4\n5,6\n",
        "x;y\n1;2\n3;4\n5;6\n",
        "x\ty\n1\t2\n3\t4\n5\t6\n",
        '"x","y"\n"1","2"\n"3","4"\n"5","6"\n',
        "\ufeffx,y\r\n1,2\r\n\r\n3,4\r\n5,6\r\n",
        "  1 , 2 \n 3 ,4\n5, 6\n\n\n",
    ],
    ids=["no-header", "header", "semicolon", "tab", "quoted", "bom-crlf-blank", "spaces"],
)
def test_accepted_layouts(tmp_path, text):
    data = read_csv(write(tmp_path, text))
    np.testing.assert_array_equal(data.x, [1, 3, 5])
    np.testing.assert_array_equal(data.y, [2, 4, 6])


def test_columns_by_name_and_position(tmp_path):
    path = write(tmp_path, "id,height,weight\n1,1.5,60\n2,1.7,72\n3,1.8,80\n")
    by_name = read_csv(path, "height", "weight")
    by_position = read_csv(path, "2", "3")
    np.testing.assert_array_equal(by_name.x, [1.5, 1.7, 1.8])
    np.testing.assert_array_equal(by_name.y, by_position.y)
    np.testing.assert_array_equal(by_position.y, [60, 72, 80])


def test_scientific_and_negative_numbers(tmp_path):
    data = read_csv(write(tmp_path, "-1e-3,2.5E2\n+4,-0.5\n"))
    np.testing.assert_array_equal(data.x, [-0.001, 4])
    np.testing.assert_array_equal(data.y, [250, -0.5])


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "is empty"),
        ("\n\n  \n", "is empty"),
        ("x,y\n", "0 usable row"),
        ("x,y\n1,2\n", "1 usable row"),
        ("x,y\n1,2\n3,abc\n", "line 3: 'abc' is not a number"),
        ("1,2\n3,inf\n", "line 2: 'inf' is not finite"),
        ("1,2\nnan,3\n", "line 2: 'nan' is not finite"),
        ("1,2\n3\n", "line 2 has 1 column"),
        ("1,2\n٣,4\n", "line 2: '٣' is not a number"),
        ("1,2\n3,1e400\n", "line 2: '1e400' is not finite"),
    ],
)
def test_bad_contents_name_the_file_and_line(tmp_path, text, message):
    path = write(tmp_path, text)
    with pytest.raises(DataError) as error:
        read_csv(path)
    assert str(error.value).startswith(path)
    assert message in str(error.value)


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(DataError, match="no such file"):
        read_csv(str(tmp_path / "absent.csv"))
    with pytest.raises(DataError, match="is a folder"):
        read_csv(str(tmp_path))


def test_binary_file_is_not_text(tmp_path):
    with pytest.raises(DataError, match="not a text file"):
        read_csv(write(tmp_path, bytes(range(256)) * 4, mode="wb"))
    with pytest.raises(DataError, match="not UTF-8"):
        read_csv(write(tmp_path, b"1,2\n\xff\xfe,3\n", name="latin.csv", mode="wb"))


def test_unknown_column_names_the_columns(tmp_path):
    path = write(tmp_path, "a,b\n1,2\n3,4\n")
    with pytest.raises(DataError, match=r"no column named 'x' for x \(columns: a, b\)"):
        read_csv(path, "x", "b")
    with pytest.raises(DataError, match="column 3 does not exist"):
        read_csv(path, "1", "3")
    with pytest.raises(DataError, match="no header row"):
        read_csv(write(tmp_path, "1,2\n3,4\n", name="bare.csv"), "x", "y")


def test_non_ascii_digit_column_is_a_name_not_a_crash(tmp_path):
    path = write(tmp_path, "x,y\n1,2\n3,4\n")
    with pytest.raises(DataError, match="no column named '²'"):
        read_csv(path, "²", "2")
