"""Company facts joined to documents: by registration id where the document gives one, else
by the name with its legal form; two registrations for one folded name are reported."""

from __future__ import annotations

from corridor.goods import GoodsChecker
from corridor.model.trade import Company
from corridor.shipments import load_rules_config
from corridor.shipments.context import LedgerContext, company_key

FACTS = [
    Company("Kyran Industrial JSC", "KZ", "110340001234", "2011-03-01", "25110"),
    Company("Kyran Industrial LLP", "KZ", "220540009876", "2022-05-10", "46900"),
    Company("ТОО «Степь Логистик»", "KZ", "180240005678", "2018-02-15", "52290"),
]


def _context() -> LedgerContext:
    ctx = LedgerContext(load_rules_config(), GoodsChecker.bundled(), "2025-01-01")
    ctx.add_companies(FACTS)
    return ctx


def test_legal_forms_are_one_form_or_two() -> None:
    assert company_key("ТОО Степь Логистик", "KZ") == company_key("Step Logistik TOO", "KZ")
    assert company_key("Steppe Co LLP", "KZ") == company_key("Steppe Co ЖШС", "KZ")
    assert company_key("Kyran Industrial JSC", "KZ") != company_key("Kyran Industrial LLP", "KZ")


def test_joined_on_the_registration_id_first() -> None:
    ctx = _context()
    # the document says LLP, but its BIN is the JSC's: the registration decides
    found = ctx.company("Kyran Industrial LLP", "KZ", "110340001234")
    assert found is not None and found.incorporated == "2011-03-01"


def test_joined_on_the_name_with_its_legal_form() -> None:
    ctx = _context()
    jsc = ctx.company("KYRAN INDUSTRIAL АО", "KZ")
    llp = ctx.company("Kyran Industrial ТОО", "KZ")
    assert jsc is not None and jsc.incorporated == "2011-03-01"
    assert llp is not None and llp.incorporated == "2022-05-10"
    assert ctx.company("Степь Логистик TOO", "KZ") is FACTS[2]


def test_a_name_without_its_form_is_not_joined_when_two_registrations_bear_it() -> None:
    ctx = _context()
    assert ctx.company("Kyran Industrial", "KZ") is None
    # one registration: joined
    assert ctx.company("Степь Логистик", "KZ") is FACTS[2]
    assert len(ctx.warnings) == 1
    warning = ctx.warnings[0]
    assert "2 registrations for one name" in warning
    assert "110340001234" in warning and "220540009876" in warning
    assert "never by the name alone" in warning
