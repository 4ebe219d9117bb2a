"""The ideal-client profile: which attribute values each segment has more often.

For a segment *s* and a value *v* of an attribute (clients whose attribute is
unknown are left out of that attribute's counts):

* ``share`` = segment clients with *v* ÷ segment clients,
* ``base_share`` = all clients with *v* ÷ all clients,
* ``lift`` = ``share`` ÷ ``base_share`` (2 = twice as often as the portfolio).

A value is over-represented when at least ``min_support`` clients of the
segment have it (two clients make no rule) and its lift reaches ``min_lift``.
The over-represented values of one attribute are reported together, most
lifted first, as one rule whose counts are those of their union ("in Madrid
or Barcelona: 6 of 8"); since each value's lift reaches ``min_lift``, so does
the union's. Pure: plain frames in, dataclasses out.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import polars as pl

from cartera.errors import SettingsError
from cartera.i18n import N_
from cartera.result import SEGMENTS
from cartera.study.attributes import ATTRIBUTES

__all__ = ["Profile", "ProfileRule", "ProfileSettings", "SegmentProfile", "profile"]


@dataclass(frozen=True)
class ProfileSettings:
    """What makes a rule (docs/study.md argues the defaults)."""

    #: Fewest clients of the segment that must share a value (3: two clients make no rule).
    min_support: int = 3
    #: Least lift for a value to count as over-represented (1.5: half as often again).
    min_lift: float = 1.5
    #: At most this many values of one attribute in a rule (a rule of ten provinces says little).
    max_values: int = 3

    def __post_init__(self) -> None:
        if self.min_support < 1:
            raise SettingsError(
                N_("The minimum support must be at least 1, not {value}."), value=self.min_support
            )
        if self.min_lift <= 1:
            raise SettingsError(
                N_("The minimum lift must be above 1, not {value}."), value=self.min_lift
            )
        if self.max_values < 1:
            raise SettingsError(
                N_("A rule needs at least one value, not {value}."), value=self.max_values
            )


@dataclass(frozen=True)
class ProfileRule:
    """One over-represented attribute of a segment, with the counts behind it."""

    segment: str
    attribute: str
    values: tuple[str, ...]
    count: int  #: segment clients with one of ``values``
    segment_clients: int  #: segment clients whose attribute is known
    base_count: int  #: clients with one of ``values``
    base_clients: int  #: clients whose attribute is known
    share: float
    base_share: float
    lift: float


@dataclass(frozen=True)
class SegmentProfile:
    segment: str
    clients: int
    rules: tuple[ProfileRule, ...] = ()


@dataclass(frozen=True)
class Profile:
    """Every segment's profile, in :data:`cartera.result.SEGMENTS` order."""

    clients: int
    settings: ProfileSettings
    segments: tuple[SegmentProfile, ...] = field(default_factory=tuple)

    def segment(self, name: str) -> SegmentProfile:
        for s in self.segments:
            if s.segment == name:
                return s
        raise KeyError(name)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data (English keys)."""
        return {
            "clients": self.clients,
            "settings": asdict(self.settings),
            "segments": [
                {
                    "segment": s.segment,
                    "clients": s.clients,
                    "rules": [{**asdict(r), "values": list(r.values)} for r in s.rules],
                }
                for s in self.segments
            ],
        }


def _counts(attrs: pl.DataFrame, attributes: list[str]) -> pl.DataFrame:
    """``attribute, value, segment, n_sv, n_s, n_v, n`` for every value present."""
    # The client id is not counted: leaving it out of the long frame keeps one row per client
    # and attribute small (at 500,000 clients ~400 MB less at the report's peak).
    long = attrs.unpivot(
        index="segment", on=attributes, variable_name="attribute", value_name="value"
    ).drop_nulls("value")
    n_sv = long.group_by("attribute", "value", "segment").agg(n_sv=pl.len())
    n_s = long.group_by("attribute", "segment").agg(n_s=pl.len())
    n_v = long.group_by("attribute", "value").agg(n_v=pl.len())
    n = long.group_by("attribute").agg(n=pl.len())
    return (
        n_sv.join(n_s, on=["attribute", "segment"])
        .join(n_v, on=["attribute", "value"])
        .join(n, on="attribute")
    )


def profile(attrs: pl.DataFrame, settings: ProfileSettings | None = None) -> Profile:
    """The over-represented values of each segment.

    Parameters
    ----------
    attrs
        :func:`cartera.study.attributes.client_attributes`: ``id, segment``
        and one String column per attribute (null = unknown).
    settings
        Minimum support and lift.

    Returns
    -------
    Profile
        One :class:`SegmentProfile` per segment present, its rules by lift
        (highest first), then by count.
    """
    settings = settings or ProfileSettings()
    attributes = [a for a in attrs.columns if a not in ("id", "segment")]
    sizes = dict(attrs.group_by("segment").len().iter_rows())
    rules: dict[str, list[ProfileRule]] = {}
    if attributes and attrs.height:
        counts = _counts(attrs.with_columns(pl.col(attributes).cast(pl.String)), attributes)
        lift = (pl.col("n_sv") / pl.col("n_s")) / (pl.col("n_v") / pl.col("n"))
        kept = (
            counts.with_columns(lift=lift)
            .filter(
                (pl.col("n_sv") >= settings.min_support) & (pl.col("lift") >= settings.min_lift)
            )
            .sort(["lift", "n_sv", "value"], descending=[True, True, False])
        )
        for (segment, attribute), group in kept.group_by(
            ["segment", "attribute"], maintain_order=True
        ):
            rules.setdefault(str(segment), []).append(
                _rule(str(segment), str(attribute), group, settings)
            )
    order = {a: i for i, a in enumerate((*ATTRIBUTES, *attributes))}
    segments = tuple(
        SegmentProfile(
            segment=s,
            clients=int(sizes[s]),
            rules=tuple(
                sorted(rules.get(s, []), key=lambda r: (-r.lift, -r.count, order[r.attribute]))
            ),
        )
        for s in (*SEGMENTS, *sorted(set(sizes) - set(SEGMENTS)))
        if s in sizes
    )
    return Profile(clients=attrs.height, settings=settings, segments=segments)


def _rule(
    segment: str, attribute: str, group: pl.DataFrame, settings: ProfileSettings
) -> ProfileRule:
    top = group.head(settings.max_values)
    count = int(top["n_sv"].sum())
    base_count = int(top["n_v"].sum())
    n_s, n = int(top["n_s"][0]), int(top["n"][0])
    share, base_share = count / n_s, base_count / n
    return ProfileRule(
        segment=segment,
        attribute=attribute,
        values=tuple(str(v) for v in top["value"].to_list()),
        count=count,
        segment_clients=n_s,
        base_count=base_count,
        base_clients=n,
        share=share,
        base_share=base_share,
        lift=share / base_share,
    )
