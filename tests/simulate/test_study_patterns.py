"""The demo edition's truth shows what the 2018 study reported (docs/simulator.md,
"Calibration"): most consumer messages unanswered, organisations' own posts mostly
broadcasts on Facebook, complaints by far the most likely to be answered, questions next,
compliments and other rarely, a few teams that answer most messages, followers more loyal.

Checked on the demo edition's own parameters at a tenth of its scale (``wide_edition``:
all 28 organisations, ~35,000 messages), so a recalibration that breaks a pattern fails here.
"""

from __future__ import annotations

import pytest

from engbench.simulate.overview import study_patterns


@pytest.fixture(scope="module")
def patterns(wide_edition):
    edition, _ = wide_edition
    return study_patterns(edition.messages, edition.incoming, edition.organisations)


def test_most_consumer_messages_stay_unanswered(patterns):
    # the calibration's target is about one in four (docs/simulator.md)
    assert 0.15 < patterns["answered"] < 0.35, patterns["answered"]
    # Twitter is the interaction medium, Facebook the information source
    by_platform = patterns["answered_by_platform"]
    assert by_platform["facebook"] < by_platform["twitter"] < 0.5


def test_complaints_by_far_most_answered_then_questions_compliments_and_other_rarely(patterns):
    rate = patterns["answered_by_type"]
    assert rate["complaint"] > 1.5 * rate["question"]
    assert rate["question"] > 2 * rate["compliment"]
    assert rate["compliment"] < 0.15 and rate["other"] < 0.1
    by_sector = patterns["answered_by_sector_type"]
    assert len(by_sector) == 12
    assert (by_sector["complaint"] > by_sector["question"]).all(), by_sector
    assert (by_sector["question"] > by_sector["compliment"]).all(), by_sector


def test_organisations_mostly_broadcast_on_facebook(patterns):
    share = patterns["broadcast_share"]
    assert share["facebook"] > 0.6, share
    assert share["facebook"] > share["twitter"]


def test_a_few_teams_answer_most_messages_and_most_answer_few(patterns):
    assert patterns["org_rate_min"] < 0.05
    assert 0.1 < patterns["org_rate_median"] < 0.35
    assert patterns["org_rate_max"] > 0.5
    assert 1 <= patterns["orgs_answering_most"] <= 6


def test_followers_are_more_loyal(wide_edition):
    edition, _ = wide_edition
    truth = edition.panel.truth
    assert truth["follows_effect"] > 0
    assert truth["raw_follower_gap"] > truth["follows_effect"]


def test_volume_stays_that_of_the_study(wide_edition):
    # the study analysed "more than 340,000" posts and reactions; the demo keeps that volume
    edition, _ = wide_edition
    assert 33_000 < edition.messages["collected"].sum() < 37_000
