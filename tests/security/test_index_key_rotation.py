"""The blind-index key rotates like the data keys: a customer is found by e-mail and tax id
under the old index key, the new one, or both during a rotation that `o2c keys rotate` carries
out (stopped and resumed); afterwards the old key can go, and a start without the index key the
database needs, or with a wrong one, is refused. On SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from models.security.field_cipher import DataKeyError, parse_keyring, use_keyring
from models.security.users import Role
from o2c.keys import check_keyring, count_unindexed, rotate
from tests import factories
from tests.support.api_client import ApiClient
from tests.support.data_keys import FIRST, INDEX, TEST_DATA_KEYS

NEW_INDEX = "index-2=TQoXCIrhxwmqakTFN/O3nNQ8sfWPwRiodp/2ea6nWsE="
ROTATING = parse_keyring(f"{INDEX},{FIRST},{NEW_INDEX}")
ONLY_NEW_INDEX = parse_keyring(f"{NEW_INDEX},{FIRST}")
CODES = ("C1", "C2", "C3", "C4", "C5")


def index_keys(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        query = text("SELECT index_key FROM customer ORDER BY id")
        return list(conn.execute(query).scalars().all())


async def found_codes(api: ApiClient, search: str) -> list[str]:
    page = await api.get("/customers", Role.SALES, params={"q": search})
    return [c["code"] for c in page["items"]]


async def assert_each_found(api: ApiClient, codes: tuple[str, ...]) -> None:
    for code in codes:
        assert await found_codes(api, f" AP@{code}.example ") == [code]
        assert await found_codes(api, f"tax/{code}") == [code]


async def test_lookups_find_every_customer_before_during_and_after_the_index_key_rotation(
    api: ApiClient, engine: Engine
) -> None:
    for code in CODES:
        factories.customer(engine, code, tax_id=f"TAX-{code}")
    use_keyring(ROTATING)  # the new index key added (listed last), the processes restarted
    factories.customer(engine, "C6", tax_id="TAX-C6")  # hashed under the new key at once
    assert index_keys(engine) == ["index"] * 5 + ["index-2"]
    await assert_each_found(api, (*CODES, "C6"))

    stopped = rotate(engine, ROTATING, batch_size=2)
    first = next(stopped)
    stopped.close()  # Ctrl-C after the first committed batch

    assert (first.done, first.total) == (2, 5)
    assert index_keys(engine) == ["index-2", "index-2", "index", "index", "index", "index-2"]
    await assert_each_found(api, (*CODES, "C6"))
    resumed = list(rotate(engine, ROTATING, batch_size=2))
    assert [(p.done, p.total) for p in resumed] == [(2, 3), (3, 3)]
    assert count_unindexed(engine, "index-2") == 0

    use_keyring(ONLY_NEW_INDEX)  # the old index key removed
    check_keyring(engine, ONLY_NEW_INDEX)
    await assert_each_found(api, (*CODES, "C6"))
    assert await found_codes(api, "ap@nobody.example") == []
    with pytest.raises(DataKeyError, match="index key 'index-2'.*does not hold"):
        check_keyring(engine, parse_keyring(TEST_DATA_KEYS))


def test_a_start_without_the_index_key_of_stored_hashes_names_it(engine: Engine) -> None:
    use_keyring(ROTATING)
    factories.customer(engine)

    with pytest.raises(DataKeyError, match="index key 'index-2', which the keyring does not"):
        check_keyring(engine, parse_keyring(TEST_DATA_KEYS))


def test_a_wrong_index_key_under_the_right_id_stops_the_start(engine: Engine) -> None:
    factories.customer(engine)
    wrong = parse_keyring(f"index={NEW_INDEX.split('=', 1)[1]},{FIRST}")

    with pytest.raises(DataKeyError, match="index key 'index' does not make the lookup hashes"):
        check_keyring(engine, wrong)
