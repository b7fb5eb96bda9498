"""Parsing a page of 250 notifications (and one of 250 received texts) into models, against the
official client's ``json.loads`` of the same bytes into dicts. Two more rows bracket the cost: the
same page through pydantic-core's JSON parser into plain dicts (no models), and into the cheapest
models pydantic has (the floor).

The bodies are the ones the benchmark server sends. CPU time, in this process; the garbage
collector stays on, as it is in an application, and is emptied before each timed block.
"""

from __future__ import annotations

import gc
import json
import sys
import time
from collections.abc import Callable
from typing import Any

from . import Figure, median, render_table
from .server import encode_body, notification_page, received_texts_page

__all__ = ["ROUNDS", "run"]

ROUNDS = 9
PARSES = 60
TARGET = 1.0


def _ms_per_parse(parse: Callable[[bytes], object], body: bytes, parses: int) -> float:
    gc.collect()
    started = time.process_time()
    for _ in range(parses):
        parse(body)
    return (time.process_time() - started) / parses * 1e3


def _compare(
    ours: Callable[[bytes], object], body: bytes, rounds: int, parses: int
) -> tuple[float, float]:
    ours(body)
    json.loads(body)
    ours_ms: list[float] = []
    official_ms: list[float] = []
    for round_number in range(rounds):
        if round_number % 2 == 0:
            ours_ms.append(_ms_per_parse(ours, body, parses))
            official_ms.append(_ms_per_parse(json.loads, body, parses))
        else:
            official_ms.append(_ms_per_parse(json.loads, body, parses))
            ours_ms.append(_ms_per_parse(ours, body, parses))
    return median(ours_ms), median(official_ms)


def _untyped_page_parser(page: bytes) -> Callable[[bytes], object]:
    """The cheapest way pydantic has to turn this page into one model per notification: every
    key the rows carry is a field typed ``Any`` (no UUID, datetime, enum or nested model), and
    with every key declared, ``extra="ignore"`` drops nothing but spares each row an extras dict.
    It bounds what any page of models can cost, whatever their field types."""
    from pydantic import BaseModel, ConfigDict, create_model

    keys = sorted({key for row in json.loads(page)["notifications"] for key in row})
    row_model: type[BaseModel] = create_model(  # type: ignore[call-overload]
        "UntypedNotification",
        __config__=ConfigDict(extra="ignore", frozen=True),
        **{key: (Any, None) for key in keys},
    )
    page_model = create_model(
        "UntypedPage", notifications=(list[row_model], ...), links=(dict[str, Any], ...)
    )
    return page_model.model_validate_json


def run(rounds: int = ROUNDS, parses: int = PARSES) -> list[Figure]:
    import pydantic_core

    from govuk_notify import NotificationList, ReceivedTextList

    page = encode_body(notification_page(0))
    texts = encode_body(received_texts_page(0))
    notifications = NotificationList.model_validate_json(page)
    if len(notifications.notifications) != 250:
        raise RuntimeError("the notification page did not parse into 250 notifications")
    ours_ms, official_ms = _compare(NotificationList.model_validate_json, page, rounds, parses)
    floor_ms, floor_official_ms = _compare(_untyped_page_parser(page), page, rounds, parses)
    dicts_ms, dicts_official_ms = _compare(pydantic_core.from_json, page, rounds, parses)
    texts_ours_ms, texts_official_ms = _compare(
        ReceivedTextList.model_validate_json, texts, rounds, parses
    )
    return [
        Figure(
            name="Parse a page of 250 notifications",
            unit="ms",
            ours=ours_ms,
            official=official_ms,
            rounds=rounds,
            target=TARGET,
            note=f"NotificationList.model_validate_json vs json.loads, {len(page) // 1024} KiB",
            short="Parse a page of 250 notifications (vs `json.loads`)",
            remedy="fewer objects per row than pydantic models make: dicts or msgspec structs,"
            " not the models the SDK promises (even pydantic's floor row is above 1.0×)",
        ),
        Figure(
            name="Parse the same page into untyped models (pydantic's floor)",
            unit="ms",
            ours=floor_ms,
            official=floor_official_ms,
            rounds=rounds,
            note="one pydantic model per row, every field typed Any, vs json.loads",
        ),
        Figure(
            name="Parse the same page into dicts with pydantic-core's parser",
            unit="ms",
            ours=dicts_ms,
            official=dicts_official_ms,
            rounds=rounds,
            note="pydantic_core.from_json vs json.loads: the parser alone, no models",
        ),
        Figure(
            name="Parse a page of 250 received texts",
            unit="ms",
            ours=texts_ours_ms,
            official=texts_official_ms,
            rounds=rounds,
            note=f"ReceivedTextList.model_validate_json vs json.loads, {len(texts) // 1024} KiB",
        ),
    ]


if __name__ == "__main__":
    print(render_table(run()))
    sys.exit(0)
