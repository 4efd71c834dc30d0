"""The data-quality rules as Great Expectations suites, one per frame the runner validates.

Rules that a SQL check in `warehouse/checks/` already turns into findings are stated here too, so
Data Docs shows every rule in one place; their expectations carry `meta["check"]` naming that
query. Rules with no SQL counterpart carry `meta["finding"]` instead: the runner turns each row
they reject into a finding with that check name and severity.
"""
from __future__ import annotations

from collections.abc import Iterable

import great_expectations as gx
import great_expectations.expectations as gxe

from transforms.schema import COUNT_QUALIFIERS, OUTCOMES, SEVERITIES, SPEAKER_ROLES

MAX_PLAUSIBLE_COUNT = 5000
"""Above this one report's count is more likely a parsing slip (a year, a total since 2022)."""


def _finding(check_name: str, severity: str, message: str) -> dict[str, dict[str, str]]:
    """Meta of an expectation whose rejected rows become findings; `message` is a str.format
    template over the rejected row's claim_id, document_id, region_code and checked column(s)."""
    return {"finding": {"check_name": check_name, "severity": severity, "message": message}}


def claims_suite(region_codes: Iterable[str]) -> gx.ExpectationSuite:
    """Rules every row of the `claims` view should satisfy."""
    suite = gx.ExpectationSuite(name="claims")
    for expectation in [
        gxe.ExpectColumnValuesToNotBeNull(
            column="claim_id",
            meta=_finding("claim_id_present", "error", "a claim of document {document_id} has no claim_id"),
        ),
        gxe.ExpectColumnValuesToBeUnique(
            column="claim_id",
            meta=_finding("claim_id_unique", "error", "claim_id {claim_id} is used by more than one claim"),
        ),
        gxe.ExpectColumnValuesToNotBeNull(
            column="document_id",
            meta=_finding("document_id_present", "error", "claim {claim_id} has no document_id"),
        ),
        gxe.ExpectColumnValuesToNotBeNull(column="count", meta={"check": "count_is_positive_integer"}),
        gxe.ExpectColumnValuesToBeBetween(
            column="count", min_value=1, max_value=MAX_PLAUSIBLE_COUNT,
            meta={"check": "count_is_positive_integer"},
        ),
        gxe.ExpectColumnValuesToBeInSet(
            column="region_code", value_set=sorted(set(region_codes)), meta={"check": "region_code_known"},
        ),
        gxe.ExpectColumnValuesToBeInSet(
            column="speaker_role", value_set=list(SPEAKER_ROLES),
            meta=_finding(
                "speaker_role_known", "warning",
                "claim {claim_id} has speaker_role '{speaker_role}', not one of " + ", ".join(SPEAKER_ROLES),
            ),
        ),
        gxe.ExpectColumnValuesToBeInSet(
            column="outcome", value_set=list(OUTCOMES),
            meta=_finding(
                "outcome_known", "error",
                "claim {claim_id} has outcome '{outcome}', not one of " + ", ".join(OUTCOMES),
            ),
        ),
        gxe.ExpectColumnValuesToBeInSet(
            column="count_qualifier", value_set=list(COUNT_QUALIFIERS),
            meta=_finding(
                "count_qualifier_known", "warning",
                "claim {claim_id} has count_qualifier '{count_qualifier}', not one of "
                + ", ".join(COUNT_QUALIFIERS),
            ),
        ),
        gxe.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A="window_end", column_B="window_start", or_equal=True,
            ignore_row_if="either_value_is_missing",
            meta=_finding(
                "window_ordered", "error",
                "claim {claim_id} has a window that ends ({window_end}) before it starts ({window_start})",
            ),
        ),
        gxe.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A="span_end", column_B="span_start", or_equal=True,
            ignore_row_if="either_value_is_missing",
            meta=_finding(
                "quote_span_ordered", "error",
                "claim {claim_id} has a quote span that ends ({span_end}) before it starts ({span_start})",
            ),
        ),
    ]:
        suite.add_expectation(expectation)
    return suite


def claim_places_suite() -> gx.ExpectationSuite:
    """Rules for `claim_places`: every town named with a claim is resolved to a locality."""
    suite = gx.ExpectationSuite(name="claim_places")
    suite.add_expectation(gxe.ExpectColumnValuesToNotBeNull(column="claim_id"))
    suite.add_expectation(
        gxe.ExpectColumnValuesToBeInSet(column="resolved", value_set=[True], meta={"check": "locality_resolved"})
    )
    return suite


def check_suite(check_name: str, description: str | None = None) -> gx.ExpectationSuite:
    """Rules for one check query's result frame: well-formed rows, and ideally none at all.

    `description` (the query's header comment: what one row is, its severities) becomes the notes of
    the suite and of its row-count rule, so Data Docs says what a failing check means.
    """
    suite = gx.ExpectationSuite(name=f"check.{check_name}", notes=description or None)
    suite.add_expectation(
        gxe.ExpectTableRowCountToEqual(value=0, meta={"check": check_name}, notes=description or None)
    )
    suite.add_expectation(gxe.ExpectColumnValuesToBeInSet(column="severity", value_set=list(SEVERITIES)))
    suite.add_expectation(gxe.ExpectColumnValuesToNotBeNull(column="message"))
    suite.add_expectation(gxe.ExpectColumnValuesToNotBeInSet(column="severity", value_set=["error"]))
    return suite


def documents_suite() -> gx.ExpectationSuite:
    """Rules for `documents`: one row per id, the run that added it, links a report may follow.

    That every document has a text to quote from is the table's own constraint (`text varchar not
    null`; the loader rejects a record without one): validating it here would read every text of
    a run into memory (1M documents: 450 MiB) to learn nothing.
    """
    suite = gx.ExpectationSuite(name="documents")
    suite.add_expectation(gxe.ExpectColumnValuesToNotBeNull(column="id"))
    suite.add_expectation(gxe.ExpectColumnValuesToBeUnique(column="id"))
    suite.add_expectation(gxe.ExpectColumnValuesToNotBeNull(column="first_run_id"))
    suite.add_expectation(
        gxe.ExpectColumnValuesToMatchRegex(
            column="url", regex=r"^https?://", notes="The report links only http(s) URLs; others are shown as text.",
        )
    )
    return suite


def findings_suite(check_names: Iterable[str]) -> gx.ExpectationSuite:
    """Rules for the findings frame the runner returns (DQ_FINDING_SCHEMA)."""
    suite = gx.ExpectationSuite(name="findings")
    suite.add_expectation(gxe.ExpectColumnValuesToNotBeNull(column="finding_id"))
    suite.add_expectation(gxe.ExpectColumnValuesToBeUnique(column="finding_id"))
    suite.add_expectation(gxe.ExpectColumnValuesToBeInSet(column="check_name", value_set=sorted(set(check_names))))
    suite.add_expectation(gxe.ExpectColumnValuesToBeInSet(column="severity", value_set=list(SEVERITIES)))
    suite.add_expectation(gxe.ExpectColumnValuesToNotBeNull(column="message"))
    suite.add_expectation(gxe.ExpectColumnValuesToNotBeInSet(column="severity", value_set=["error"]))
    return suite


def finding_check_names(suite: gx.ExpectationSuite) -> list[str]:
    """Check names of the findings `suite`'s expectations produce (those with `meta["finding"]`)."""
    return [e.meta["finding"]["check_name"] for e in suite.expectations if e.meta and "finding" in e.meta]
