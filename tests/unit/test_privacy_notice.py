"""The privacy notice's data inventory agrees with the store, the register entry is complete, and the options that
feed them are checked at start."""

from __future__ import annotations

import csv
import io

import pytest

from core import demo
from core.config import Settings, parse_settings
from core.i18n import LANGUAGES
from core.inventory import FIELDS, load_inventory
from core.services import build_services
from core.store import META_TABLE


@pytest.fixture
def services(tmp_path):
    return build_services(
        Settings(data_dir=tmp_path / 'data', privacy_controller='FOD BOSA', privacy_contact='dpo@bosa.example.be')
    )


def stored_tables(services) -> set[str]:
    """Every table the application really stores, read from the store after every part has written its data, plus
    every table a part registered for export and import."""
    found = {f'accounts/{name}' for name in services.store.accounts.tinydb.tables()}
    for db in services.store.open_databases()[1:]:
        found |= {f'community/{name}' for name in db.tinydb.tables()}
    found |= {f'community/{name}' for name in services.communities.tables}
    return {t for t in found if not t.endswith('/' + META_TABLE)}


async def test_every_stored_table_is_in_the_inventory(services):
    await demo.seed(services, 'a demo password that is long')
    tables = stored_tables(services)
    assert len(tables) > 10  # the seeded demo really wrote every part
    missing = tables - services.privacy.inventory.tables()
    assert not missing, f'content/privacy.yaml does not say what these tables hold: {sorted(missing)}'


def test_every_kind_has_every_field_in_every_language():
    inventory = load_inventory()
    for kind in inventory.kinds:
        for field in FIELDS:
            assert set(LANGUAGES) <= set(kind.texts[field]), (kind.id, field)


def test_the_register_entry_names_the_controller_and_the_settings_in_force(tmp_path):
    services = build_services(
        Settings(
            data_dir=tmp_path / 'data',
            privacy_controller='FOD BOSA',
            privacy_contact='dpo@bosa.example.be',
            retain_answers_months=7,
        )
    )
    payload, name, media_type = services.privacy.register('fr', 'csv')
    rows = list(csv.reader(io.StringIO(payload.decode('utf-8-sig')), delimiter=';'))
    assert name.endswith('.csv') and media_type.startswith('text/csv')
    assert rows[0][0] == 'Responsable du traitement'
    assert len(rows) == 1 + len(services.privacy.inventory.kinds)
    assert all(r[0] == 'FOD BOSA' and r[1] == 'dpo@bosa.example.be' for r in rows[1:])
    survey = next(r for r in rows if r[6] == 'survey_answers')
    assert '7 mois' in survey[-1]
    page, _, _ = services.privacy.register('en', 'html')
    assert b'<html lang="en-GB">' in page and b'FOD BOSA' in page and b'Record of processing activities' in page


@pytest.mark.parametrize(
    ('argv', 'env', 'option'),
    [
        (['--retain-answers-months', '0'], {}, '--retain-answers-months'),
        ([], {'COP_RETAIN_ACCOUNTS_MONTHS': '-3'}, '--retain-accounts-months'),
        (['--retain-answers-months', 'twelve'], {}, '--retain-answers-months'),
    ],
)
def test_a_retention_of_zero_or_less_is_refused_at_start_with_the_option_named(argv, env, option, capsys):
    with pytest.raises(SystemExit):
        parse_settings(argv, env)
    assert option in capsys.readouterr().err


def test_privacy_options_come_from_the_environment():
    settings = parse_settings([], {'COP_PRIVACY_CONTROLLER': 'FOD X', 'COP_RETAIN_ANSWERS_MONTHS': '6'})
    assert settings.privacy_controller == 'FOD X' and settings.retain_answers_months == 6
    assert settings.retain_accounts_months == 24
