"""The admin's merge page: login needed, CSRF on every decision, an unsure pair accepted
becomes one entity and an undo brings both back; crawled names are escaped."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from famact.merge.run import MergeJob
from famact.store.activities import ActivityStore
from famact.store.merges import MergeStore
from famact.web.app import create_app
from tests.unit.merge.test_merge_store import DAYS, SPL, later_storytime, store_all, storytime, with_sources
from tests.unit.web.test_admin import PASSWORD_HASH, _token, login

pytestmark = pytest.mark.parametrize("store_tables", ["moto"], indirect=True)


@pytest.fixture
def tables(store_tables: Any) -> Any:
    return with_sources(store_tables)


@pytest.fixture
def app_client(tables: Any) -> TestClient:
    return TestClient(create_app(tables, admin_password_hash=PASSWORD_HASH), follow_redirects=False)


@pytest.fixture
def admin(app_client: TestClient) -> TestClient:
    assert login(app_client).status_code == 303
    return app_client


def test_unsure_pairs_are_decided_on_the_page_with_csrf(admin: TestClient, tables: Any) -> None:
    store_all(
        tables,
        storytime(*SPL, DAYS),
        later_storytime("kids-cal", "family-storytime-dddddd", "<Toddler> Storytime"),
    )
    MergeJob(tables).run(["spl", "kids-cal"])
    (record,) = MergeStore(tables).records("unsure")
    page = admin.get("/admin/merges")
    assert page.status_code == 200
    assert "&lt;Toddler&gt; Storytime" in page.text
    token = _token(page.text)
    forged = admin.post(f"/admin/merges/{record.merge_id}/accept", data={"csrf": "forged"})
    assert forged.status_code == 403
    assert MergeStore(tables).require(record.merge_id).status == "unsure"
    done = admin.post(f"/admin/merges/{record.merge_id}/accept", data={"csrf": token})
    assert done.status_code == 303 and done.headers["location"] == "/admin/merges?done=accepted"
    assert (
        ActivityStore(tables).get_entities(["EVENT#family-storytime-dddddd"])[
            "EVENT#family-storytime-dddddd"
        ]["merged_into"]
        == "EVENT#toddler-storytime-aaaaaa"
    )
    again = admin.post(f"/admin/merges/{record.merge_id}/reject", data={"csrf": token})
    assert again.status_code == 409
    undone = admin.post(f"/admin/merges/{record.merge_id}/undo", data={"csrf": token})
    assert undone.status_code == 303
    assert MergeStore(tables).require(record.merge_id).status == "undone"


def test_the_merge_page_needs_a_login(app_client: TestClient, tables: Any) -> None:
    assert app_client.get("/admin/merges").headers["location"] == "/admin/login"
    assert app_client.post("/admin/merges/m-123/undo", data={"csrf": "x"}).status_code == 401
