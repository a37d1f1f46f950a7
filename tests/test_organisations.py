"""The organisations sheet: validated per line and column, consistent per organisation."""

from __future__ import annotations

import pytest

from engbench.organisations import OrganisationsError, organisation_table, read_organisations
from tests.conftest import ROOT

HEADER = "org_id,name,sector,platform,handle,account_id,followers,role,panel_code\n"


def write(tmp_path, body: str, name="orgs.csv"):
    path = tmp_path / name
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def test_demo_sheet_has_28_organisations_on_both_platforms():
    accounts = read_organisations(ROOT / "config" / "organisations.csv")
    orgs = organisation_table(accounts)
    assert len(orgs) == 28
    assert orgs["sector"].nunique() >= 10
    assert set(accounts["platform"]) == {"twitter", "facebook"}
    assert (accounts.groupby("org_id")["platform"].nunique() == 2).all()
    assert (accounts["role"] == "webcare").sum() >= 3
    assert accounts["followers"].notna().all()


def test_bad_value_names_file_line_and_column(tmp_path):
    path = write(
        tmp_path,
        "acme,Acme,retail,twitter,acme,123,100,brand,acme\n"
        "acme,Acme,retail,myspace,acme2,124,100,brand,acme\n",
    )
    with pytest.raises(OrganisationsError) as error:
        read_organisations(path)
    message = str(error.value)
    assert f"{path}, line 3, column platform: found 'myspace'" in message
    assert "one of twitter, facebook" in message


def test_missing_value_and_bad_number(tmp_path):
    path = write(tmp_path, "acme,Acme,retail,twitter,,123,many,brand,acme\n")
    with pytest.raises(OrganisationsError) as error:
        read_organisations(path)
    assert "line 2, column followers: found 'many'; expected a whole number" in str(error.value)


def test_duplicate_account_and_inconsistent_name(tmp_path):
    path = write(
        tmp_path,
        "acme,Acme,retail,twitter,acme,123,,brand,acme\n"
        "acme,ACME BV,retail,facebook,acmebv,123,,brand,acme\n"
        "beta,Beta,retail,twitter,Acme,999,,brand,beta\n",
    )
    with pytest.raises(OrganisationsError) as error:
        read_organisations(path)
    message = str(error.value)
    assert "platform + handle appears twice (lines 2, 4)" in message
    assert "organisation acme has more than one name" in message


def test_missing_sheet(tmp_path):
    with pytest.raises(OrganisationsError, match="not found"):
        read_organisations(tmp_path / "nope.csv")


def test_utf8_bom_and_optional_columns(tmp_path):
    path = tmp_path / "bom.csv"
    path.write_text(
        "\ufefforg_id,name,sector,platform,handle,account_id\nacme,Acme,retail,twitter,acme,1\n",
        encoding="utf-8",
    )
    accounts = read_organisations(path)
    assert accounts.loc[0, "role"] == "brand"
    assert accounts["followers"].isna().all()
