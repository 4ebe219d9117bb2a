"""Hypothesis profiles of the fuzzing harness.

``bounded`` (the default, part of ``make test``): a fixed number of examples with
a derandomised seed, so the suite stays fast and repeatable. ``fuzz`` (``make
fuzz``): many more, random. ``CARTERA_FUZZ_EXAMPLES`` overrides the count.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

_COMMON = {
    "deadline": None,
    "database": None,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
}
settings.register_profile("bounded", max_examples=30, derandomize=True, **_COMMON)
settings.register_profile("fuzz", max_examples=1500, **_COMMON)
profile = os.environ.get("CARTERA_FUZZ_PROFILE", "bounded")
if os.environ.get("CARTERA_FUZZ_EXAMPLES"):
    settings.register_profile(
        "custom",
        settings.get_profile(profile),
        max_examples=int(os.environ["CARTERA_FUZZ_EXAMPLES"]),
    )
    profile = "custom"
settings.load_profile(profile)
