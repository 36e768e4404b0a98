"""A served app can't touch the server's files: `data` only inside --data-dir, no file's content in a message,
and ctrl+s, e and s handed to the browser (tui.served, tui.exports.delivery), while the terminal app is unchanged."""

from __future__ import annotations

import io
import os
import zipfile

import pytest

from engine.data.csv_reader import read_csv
from engine.settings.config_file import layered_settings, parse_config
from engine.settings.errors import DataError
from engine.settings.run_settings import Settings
from tests.helpers import wait_for_state, wait_until
from tui.app import make_app
from tui.served import DATA_DIR_ENV, SERVED_ENV, Fence, data_error_text, fence, public_message
from tui.workers.preparing import PrepareFailed, prepare

SECRET = "hunter2-secret"


@pytest.fixture
def room(tmp_path, monkeypatch):
    """A data folder with a good CSV, a served environment, and the app's folder being the data folder (as serve sets it)."""
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "points.csv").write_text("x,y\n0,1\n1,3\n2,5\n")
    (tmp_path / "outside.csv").write_text(f"{SECRET},y\n1,2\n3,4\n")
    monkeypatch.setenv(SERVED_ENV, "1")
    monkeypatch.setenv(DATA_DIR_ENV, str(folder))
    monkeypatch.chdir(folder)
    return folder


def test_an_app_in_a_terminal_is_not_fenced(monkeypatch):
    monkeypatch.delenv(SERVED_ENV, raising=False)
    assert fence() is None


def test_inside_the_data_folder_only(room, tmp_path):
    walls = fence()
    assert walls == Fence(room.resolve())
    assert walls.data_refusal(None) is None
    assert walls.data_refusal("points.csv") is None
    assert walls.data_refusal(str(room / "points.csv")) is None
    assert walls.data_refusal("sub/../points.csv") is None
    for path in ("../outside.csv", str(tmp_path / "outside.csv"), "/etc/passwd", ".", str(room), "points.csv\x00"):
        assert walls.data_refusal(path) is not None, path


def test_a_link_out_of_the_data_folder_is_refused(room, tmp_path):
    (room / "link.csv").symlink_to(tmp_path / "outside.csv")
    (room / "linked-folder").symlink_to(tmp_path)
    assert fence().data_refusal("link.csv") is not None
    assert fence().data_refusal("linked-folder/outside.csv") is not None


def test_without_a_data_folder_no_file_at_all(room, monkeypatch):
    monkeypatch.setenv(DATA_DIR_ENV, "")
    assert "built-in dataset" in fence().data_refusal("points.csv")


@pytest.mark.parametrize(
    "text, columns, shown",
    [
        (f"x,y\n1,2\n3,{SECRET}\n", ("1", "2"), "bad.csv: line 3: the cell is not a number (column 2)"),
        (f"x,y\n1,2\n{SECRET},4\n", ("x", "y"), "bad.csv: line 3: the cell is not a number (column 1)"),
        ("x,y\n1,2\n3,inf\n", ("1", "2"), "bad.csv: line 3: the cell is not finite (column 2)"),
        (f"{SECRET},y\n1,2\n3,4\n", ("x", "y"), "bad.csv: no column named 'x' for x"),
    ],
)
def test_a_served_data_error_names_file_line_and_column_but_no_content(room, text, columns, shown):
    (room / "bad.csv").write_text(text)
    with pytest.raises(DataError) as error:
        read_csv("bad.csv", *columns)
    settings = Settings(data="bad.csv", x_column=columns[0], y_column=columns[1])
    assert data_error_text(error.value, settings) == shown
    assert SECRET not in shown


def test_the_terminal_app_still_quotes_the_cell(monkeypatch, tmp_path):
    monkeypatch.delenv(SERVED_ENV, raising=False)
    path = tmp_path / "bad.csv"
    path.write_text("x,y\n1,2\n3,abc\n")
    with pytest.raises(DataError) as error:
        read_csv(str(path))
    assert data_error_text(error.value, Settings(data=str(path))) == f"{path}: line 3: 'abc' is not a number (column 2)"


def test_a_path_with_quotes_is_kept_whole():
    path = "it's \"here\".csv"
    assert public_message(f"{path}: line 2: 'x' is not a number (column 1)", path) == f"{path}: line 2: the cell is not a number (column 1)"


def test_preparing_a_run_on_a_file_outside_is_refused_before_it_is_read(room):
    posted = []
    prepare(Settings(data="../outside.csv"), None, 1, posted.append, lambda: False)
    assert len(posted) == 1 and isinstance(posted[0], PrepareFailed)
    assert posted[0].setting == "data" and "only files inside the host's data folder" in posted[0].message
    assert SECRET not in posted[0].message


async def type_into(pilot, name: str, text: str) -> None:
    control = pilot.app.screen.query_one(f"#setting-{name}")
    control.focus()
    control.value = ""
    await pilot.press(*text) if text else None
    await pilot.pause()


@pytest.mark.slow
async def test_the_data_field_refuses_a_file_outside_beside_the_field_and_reads_one_inside(room):
    app = make_app(Settings(device="cpu"))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        await wait_for_state(pilot, "ready")
        await type_into(pilot, "data", "../outside.csv")
        error = screen.query_one("#setting-data").parent.query_one(".setting-error")
        assert error.display and "only files inside the host's data folder" in str(error.render())
        await pilot.press("enter")
        await pilot.pause()
        assert screen.settings.data is None  # not applied
        await type_into(pilot, "data", "points.csv")
        assert not error.display
        await pilot.press("enter")
        await wait_until(pilot, lambda: screen.settings.data == "points.csv" and screen.state == "ready", what="the file's run")
        assert list(screen.dataset.y) == [1, 3, 5]


@pytest.mark.slow
async def test_served_keys_hand_their_files_to_the_browser_and_write_nothing(room):
    before = sorted(os.listdir(room))
    app = make_app(Settings(device="cpu", steps=50, lr=2e-4))
    delivered: list[tuple[str, bytes | str, dict]] = []

    def deliver(kind):
        def take(file, **options):
            delivered.append((kind, file.read(), options))
            file.close()
            return "key"

        return take

    async with app.run_test(size=(100, 30)) as pilot:
        app.deliver_text, app.deliver_binary = deliver("text"), deliver("binary")
        screen = app.screen
        await wait_for_state(pilot, "ready")
        for step in (1, 2, 3):
            await pilot.press("n")
            await wait_until(pilot, lambda step=step: screen.snapshot.step == step, what=f"step {step}")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: len(delivered) == 1, what="the settings")
        await pilot.press("s")
        await wait_until(pilot, lambda: len(delivered) == 2, what="the screenshot")
        await pilot.press("e")
        await wait_until(pilot, lambda: len(delivered) == 3, what="the export")
        assert app.screen is screen  # no path was asked for

    (kind, toml, options), (shot_kind, svg, shot_options), (zip_kind, archive, zip_options) = delivered
    assert kind == "text" and options["save_filename"] == "descent.toml"
    assert layered_settings(config=parse_config(toml)) == Settings(device="cpu", steps=50, lr=2e-4)
    assert shot_kind == "text" and shot_options["save_filename"].endswith(".svg") and svg.lstrip().startswith("<svg")
    assert zip_kind == "binary" and zip_options["save_filename"].endswith(".zip")
    with zipfile.ZipFile(io.BytesIO(archive)) as bundle:
        names = sorted(name.split("/", 1)[1] for name in bundle.namelist())
        assert names == ["descent_run.py", "history.csv", "settings.toml"]
        history = next(name for name in bundle.namelist() if name.endswith("history.csv"))
        assert len(bundle.read(history).decode().splitlines()) == 1 + 4  # header, steps 0..3: the steps taken
    assert sorted(os.listdir(room)) == before  # nothing written where the app runs


async def test_the_race_screenshot_is_a_download_when_served(room):
    before = sorted(os.listdir(room))
    app = make_app(Settings(device="cpu", steps=20), race=("manual", "adam@0.05"))
    delivered = []

    def take(file, **options):
        delivered.append((file.read(), options))
        file.close()
        return "key"

    async with app.run_test(size=(100, 30)) as pilot:
        app.deliver_text = take
        await wait_for_state(pilot, "ready")
        await pilot.press("s")
        await wait_until(pilot, lambda: len(delivered) == 1, what="the race's screenshot")
    svg, options = delivered[0]
    assert options["save_filename"].endswith(".svg") and svg.lstrip().startswith("<svg")
    assert sorted(os.listdir(room)) == before  # nothing written on the server
