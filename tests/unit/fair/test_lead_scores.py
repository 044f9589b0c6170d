"""The lead score rule (fair.outcome_queries): points per signal, caps, the outcome's points,
and the order of the leads page."""

from __future__ import annotations

from dualcirc.fair.enums import MeetingResult
from dualcirc.fair.outcome_queries import LeadScore, sort_leads


def lead(name: str, **counts: object) -> LeadScore:
    return LeadScore(organisation_id=hash(name) % 1000, name=name, country="DE", **counts)  # type: ignore[arg-type]


def test_score_adds_points_per_signal_with_visits_and_documents_capped() -> None:
    keen = lead("Keen", visits=25, documents=7, contacts=1, conversations=2, requests=1, meetings=2)

    assert keen.score == 10 * 1 + 7 * 2 + 5 + 2 * 5 + 5 + 2 * 10


def test_score_adds_the_furthest_outcome() -> None:
    ordered = lead("Ordered", meetings=1, result=MeetingResult.ORDER_PLACED)
    no_interest = lead("Cold", meetings=1, result=MeetingResult.NO_INTEREST)

    assert (ordered.score, no_interest.score) == (10 + 40, 10)
    assert ordered.result_label == "Order placed"


def test_sort_by_a_column_either_way_ties_by_name_unknown_key_by_score() -> None:
    a = lead("Alpha", visits=3)
    b = lead("Bravo", visits=1, result=MeetingResult.SAMPLES)
    c = lead("Charlie", visits=3)

    assert [x.name for x in sort_leads([c, b, a], "-visits")] == ["Alpha", "Charlie", "Bravo"]
    assert [x.name for x in sort_leads([c, b, a], "visits")] == ["Bravo", "Alpha", "Charlie"]
    assert [x.name for x in sort_leads([a, c, b], "-result")] == ["Bravo", "Alpha", "Charlie"]
    assert [x.name for x in sort_leads([a, b, c], "password")] == ["Bravo", "Alpha", "Charlie"]
