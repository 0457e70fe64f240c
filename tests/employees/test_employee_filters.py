from datetime import date, timedelta

import pytest

pytestmark = pytest.mark.django_db


def ids(response):
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["data"]}


def test_filters_by_department_location_and_manager(api, make_employee):
    boss = make_employee(department="Sales", location="Berlin")
    a = make_employee(department="Sales", location="Milan", manager=boss)
    b = make_employee(department="Engineering", location="Milan", manager=boss)
    make_employee(department="Engineering", location="Lisbon")
    assert ids(api.get("/v1/employees", {"department": "Sales"})) == {boss.pk, a.pk}
    assert ids(api.get("/v1/employees", {"location": "Milan"})) == {a.pk, b.pk}
    assert ids(api.get("/v1/employees", {"manager_id": boss.pk})) == {a.pk, b.pk}
    assert api.get("/v1/employees", {"department": "Sales"}).json()["total_count"] == 2


def test_filters_by_status_from_end_date_and_today(api, make_employee):
    active = make_employee()
    leaving_later = make_employee(end_date=date.today() + timedelta(days=10))
    gone = make_employee(end_date=date.today() - timedelta(days=10))
    assert ids(api.get("/v1/employees", {"status": "active"})) == {active.pk, leaving_later.pk}
    assert ids(api.get("/v1/employees", {"status": "former"})) == {gone.pk}


def test_q_searches_name_and_email_case_insensitively(api, make_employee):
    grace = make_employee(full_name="Grace Hopper", email="amazing@navy.test")
    make_employee(full_name="Alan Turing", email="alan@example.test")
    assert ids(api.get("/v1/employees", {"q": "hopp"})) == {grace.pk}
    assert ids(api.get("/v1/employees", {"q": "NAVY"})) == {grace.pk}


def test_an_invalid_status_filter_is_400(api):
    response = api.get("/v1/employees", {"status": "retired"})
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == ["status"]
