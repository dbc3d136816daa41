"""Two imports at once: each applies whole, one after the other, never a mix of the two.
On PostgreSQL a transaction-level advisory lock makes the second wait (it once made the
register the union of two files, and two first reports of a new year failed on a unique
key); on SQLite an immediate transaction does. Repeated, since a race shows only sometimes."""

from __future__ import annotations

import datetime as dt
import threading

import pytest

from klynge import queries
from klynge.queries import Filter
from klynge.store.engine import make_engine
from klynge.store.importer import import_paths
from tests.factories import example_values, master_data, valid_orgnr, write_csv, write_reports_csv

ROUNDS = 8


def register_file(path, seed: int, size: int):
    """A members file replacing the registers of clusters 1 and 2 with `size` members each."""
    rows = [{"cluster_id": cid, "orgnr": valid_orgnr(20_000 + 1_000 * seed + 10 * cid + i), "name": f"M{seed}-{cid}-{i}",
             "member_type": "established", "core_member": True, "joined": dt.date(2020, 1, 1), "left": None}
            for cid in (1, 2) for i in range(size)]
    return write_csv(path, rows)


def at_once(url: str, *batches) -> list[BaseException]:
    """Run one import per batch of paths, each in its own thread with its own engine, started together."""
    start, errors = threading.Barrier(len(batches)), []

    def run(paths) -> None:
        engine = make_engine(url)
        try:
            start.wait(timeout=60)
            import_paths(engine, paths)
        except BaseException as error:  # noqa: BLE001 - handed to the test
            errors.append(error)
        finally:
            engine.dispose()

    threads = [threading.Thread(target=run, args=(paths,)) for paths in batches]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not any(thread.is_alive() for thread in threads), "an import hung"
    return errors


@pytest.fixture
def seeded(engine, tmp_path):
    import_paths(engine, [master_data(tmp_path / "master")])
    return engine


def test_two_registers_at_once_give_one_of_them_never_their_union(seeded, database_url, tmp_path):
    first, second = register_file(tmp_path / "a.csv", 1, 30), register_file(tmp_path / "b.csv", 2, 12)
    for round_ in range(ROUNDS):
        order = (first, second) if round_ % 2 else (second, first)
        assert at_once(database_url, [order[0]], [order[1]]) == []
        names = set(queries.member_register(seeded, Filter(years=(2024, 2024)))["name"])
        sizes = {len([n for n in names if n.startswith(f"M{seed}-")]) for seed in (1, 2)}
        assert len(names) in (60, 24) and sizes in ({60, 0}, {24, 0}), f"round {round_}: {len(names)} members"
        # and the register counts kept at import agree with the register
        counts = queries.register_counts(seeded, Filter(years=(2024, 2024)))
        assert int(counts["members_total"].sum()) == len(names)


def test_first_reports_of_a_new_year_from_two_imports_at_once_both_land(seeded, database_url, tmp_path):
    for round_ in range(ROUNDS):
        year = 2030 + round_
        values = {"report_year": year, "period_start": dt.date(year, 1, 1), "period_end": dt.date(year, 12, 31)}
        one = write_reports_csv(tmp_path / f"one-{year}.csv", [example_values(**values)])
        two = write_reports_csv(tmp_path / f"two-{year}.csv", [example_values(cluster_name="Fjellhelse", **values)])
        assert at_once(database_url, [one], [two]) == []
        keys = queries.report_keys(seeded, Filter(years=(year, year)))
        assert sorted(keys["cluster_id"]) == [1, 2]
        # both reports are in the sums kept at import, which count the new year once
        summary = queries.level_summary(seeded, Filter(years=(year, year)))
        assert int(summary["clusters"].sum()) == 2
