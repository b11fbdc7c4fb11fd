#!/usr/bin/env python3
"""Writes quotients.json: a / b rounded to `places` after a 28-digit half-even context
division, computed by Python's `decimal` (the reference the sheet engine's
`Precision::PYTHON_DECIMAL` must match). Half the cases sit a hair off a rounding tie,
where rounding twice and rounding once disagree. Run: python3 make_quotients.py > quotients.json
"""
import json
import random
from decimal import (Decimal, getcontext, ROUND_HALF_EVEN, ROUND_HALF_UP, ROUND_CEILING,
                     ROUND_FLOOR, ROUND_DOWN, localcontext)

RULES = {"half_up": ROUND_HALF_UP, "half_even": ROUND_HALF_EVEN, "ceiling": ROUND_CEILING,
         "floor": ROUND_FLOOR, "truncate": ROUND_DOWN}
rng = random.Random(20261122)
cases = []


def dec(mantissa, scale):
    return Decimal(mantissa).scaleb(-scale)


def add(a, b, places, rule, why):
    getcontext().prec = 28
    getcontext().rounding = ROUND_HALF_EVEN
    q = (a / b).quantize(Decimal(1).scaleb(-places), rounding=RULES[rule])
    with localcontext() as c:
        c.prec = 200
        exact = (a / b).quantize(Decimal(1).scaleb(-places), rounding=RULES[rule])
    cases.append({"a": str(a), "b": str(b), "places": places, "rounding": rule,
                  "expected": format(q, "f"), "once": format(exact, "f"), "why": why})


for i in range(150):
    a = dec(rng.randrange(-10**12, 10**12), rng.randrange(0, 8))
    b = dec(rng.choice([1, -1]) * rng.randrange(1, 10**10), rng.randrange(0, 8))
    add(a, b, rng.randrange(0, 5), rng.choice(list(RULES)), "random")
for i in range(4000):
    # a/b a hair off a tie (or a whole step): a = t*b +- one unit in a's 28th digit
    places = rng.randrange(0, 4)
    b = dec(rng.randrange(10**8, 10**12), rng.randrange(0, 3))
    t = dec(rng.randrange(1, 10**5) * 10 + rng.choice([5, 5, 5, 0]), places + 1)
    with localcontext() as c:
        c.prec = 200
        a = t * b
        free = 28 - len(a.as_tuple().digits)
        if free <= 0:
            continue
        a = a + rng.choice([-1, 1]) * Decimal(1).scaleb(a.as_tuple().exponent - free)
    if rng.random() < 0.3:
        a = -a
    add(a, b, places, rng.choice(list(RULES)), "near a tie")
# keep every case where rounding twice differs, and 300 near ones where it does not
near = [c for c in cases if c["why"] != "random"]
same = [c for c in near if c["expected"] == c["once"]][:300]
cases = [c for c in cases if c["why"] == "random"] + same + [c for c in near if c["expected"] != c["once"]]
json.dump({"about": __doc__.strip().splitlines()[0], "cases": cases}, open(1, "w"), indent=1)
