"""Join codes: typed forgivingly, a typo told before any network look-up, the address after @."""

from __future__ import annotations

import pytest

from checkin.hosting.join_code import JoinCode, JoinCodeError, new_secret, parse_join_code


def test_a_code_reads_back_typed_sloppily() -> None:
    code = JoinCode(new_secret())
    sloppy = code.human.lower().replace("-", " ").replace("0", "o")
    assert parse_join_code(sloppy) == code
    assert len(code.human) == 14 and code.human.count("-") == 2


def test_every_single_symbol_typo_is_caught_or_harmless() -> None:
    code = JoinCode("0123456789")
    symbols = code.human.replace("-", "")
    caught = 0
    for position in range(len(symbols)):
        for other in "0123456789ABCDEFGHJKMNPQRSTVWXYZ":
            if other == symbols[position]:
                continue
            typo = symbols[:position] + other + symbols[position + 1 :]
            try:
                parse_join_code(typo)
            except JoinCodeError:
                caught += 1
    assert caught / (len(symbols) * 31) > 0.99  # 10 check bits: about 1 in 1024 slips through


def test_the_address_and_the_qr_form() -> None:
    code = JoinCode(new_secret(), "192.168.1.10", 5433)
    assert parse_join_code(code.with_address) == code
    assert parse_join_code(code.qr_payload) == code
    with pytest.raises(JoinCodeError, match="host:port"):
        parse_join_code(code.human + "@192.168.1.10")
    with pytest.raises(JoinCodeError, match="12 letters"):
        parse_join_code("ABCD-EFGH")


def test_the_password_comes_from_the_secret_only() -> None:
    secret = new_secret()
    assert JoinCode(secret).password == JoinCode(secret, "10.0.0.1", 1).password
    assert JoinCode(secret).password != JoinCode(new_secret()).password
    assert secret not in JoinCode(secret).password
