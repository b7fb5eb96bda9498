"""The ``type=`` functions of ``govuk-notify``'s options: numbers in range and ``NAME=VALUE``.

Each raises ``argparse.ArgumentTypeError``, which argparse turns into a usage error (exit code 2)
naming the option.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TypeVar

__all__ = [
    "name_value",
    "non_negative_float",
    "non_negative_int",
    "positive_float",
    "positive_int",
]

_N = TypeVar("_N", int, float)


def positive_int(text: str) -> int:
    """An argparse type: a whole number of 1 or more.

    Args:
        text: the argument as typed.

    Returns:
        The number.

    Raises:
        argparse.ArgumentTypeError: not a whole number, or less than 1.
    """
    value = _number(int, text, "a whole number")
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def non_negative_int(text: str) -> int:
    """An argparse type: a whole number of 0 or more.

    Args:
        text: the argument as typed.

    Returns:
        The number.

    Raises:
        argparse.ArgumentTypeError: not a whole number, or negative.
    """
    value = _number(int, text, "a whole number")
    if value < 0:
        raise argparse.ArgumentTypeError("cannot be negative")
    return value


def non_negative_float(text: str) -> float:
    """An argparse type: a number of 0 or more.

    Args:
        text: the argument as typed.

    Returns:
        The number.

    Raises:
        argparse.ArgumentTypeError: not a number, or negative.
    """
    value = _number(float, text, "a number")
    if not value >= 0:
        raise argparse.ArgumentTypeError("cannot be negative")
    return value


def positive_float(text: str) -> float:
    """An argparse type: a number more than 0.

    Args:
        text: the argument as typed.

    Returns:
        The number.

    Raises:
        argparse.ArgumentTypeError: not a number, or not more than 0.
    """
    value = _number(float, text, "a number")
    if not value > 0:
        raise argparse.ArgumentTypeError("must be more than 0")
    return value


def _number(kind: Callable[[str], _N], text: str, what: str) -> _N:
    try:
        return kind(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not {what}") from None


def name_value(text: str) -> tuple[str, str]:
    """An argparse type: ``name=value`` (the value may hold ``=`` and may be empty).

    Args:
        text: the argument as typed.

    Returns:
        The name and the value.

    Raises:
        argparse.ArgumentTypeError: no ``=``, or an empty name.
    """
    name, sep, value = text.partition("=")
    if not sep or not name.strip():
        raise argparse.ArgumentTypeError(f"{text!r} is not NAME=VALUE")
    return name.strip(), value
