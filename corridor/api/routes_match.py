"""``POST /match/{dataset}``: OpenSanctions yente's matching API, answered as yente answers it
(``../shared/docs/YENTE_MATCH.md`` gives the contract), so that a yente client moves to
Corridor unchanged and never silently clears a party:

- an unknown dataset is a 404 that lists the known ones; yente's collection names
  (``default``, ``sanctions``) and source names (``un_sc_sanctions``, ``gb_fcdo_sanctions``,
  ``us_trade_csl``...) map to the lists loaded;
- every filter (dataset, ``include_dataset``, ``exclude_dataset``, ``exclude_schema``,
  ``topics``, ``changed_since``, ``exclude_entity_ids``) applies before ``limit``;
- a property given as a single string is read as a list of one;
- no queries is a 400, as are more than ``MAX_BATCH`` queries or an unknown parameter;
- ``explanations`` has yente's shape ``{feature: {score, detail, query, candidate}}``;
  Corridor's full explanation sits beside it under ``corridor``.
"""

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from fastapi import FastAPI, Query, Request
from fastapi.responses import JSONResponse

from corridor.api import responses as R
from corridor.api.models import MatchRequest
from corridor.api.security import requires
from corridor.api.state import ApiState
from corridor.exceptions import InvalidQuery, NotFound, RequestTooLarge
from corridor.matching import Query as PartyQuery
from corridor.matching import ScreeningResult
from corridor.model.countries import to_iso2
from corridor.model.dates import parse_date
from corridor.model.entity import EntityKind
from corridor.model.ftm import to_ftm
from corridor.store.versioned import stamp

WARNINGS_HEADER = "X-Corridor-Warnings"
MAX_BATCH = 100  # queries in one request, as yente
MAX_NAMES = 10  # names of one query example
MAX_EXCLUDED_IDS = 50
MAX_MATCHES = 500
CANDIDATES = 500  # results screened per name before the filters and the limit

SCHEMAS = {
    "Person": EntityKind.PERSON,
    "Company": EntityKind.ORGANIZATION,
    "Organization": EntityKind.ORGANIZATION,
    "LegalEntity": None,
    "PublicBody": EntityKind.ORGANIZATION,
    "Vessel": EntityKind.VESSEL,
    "Airplane": EntityKind.AIRCRAFT,
    "Thing": None,
}
ID_PROPERTIES = (
    "idNumber",
    "registrationNumber",
    "taxNumber",
    "innCode",
    "ogrnCode",
    "leiCode",
    "passportNumber",
    "swiftBic",
    "imoNumber",
    "vatCode",
    "bikCode",
    "okpoCode",
)
# OpenSanctions' names for the sources Corridor loads
ALIASES = {
    "un_sc_sanctions": "un_sc",
    "gb_fcdo_sanctions": "uk_fcdo",
    "gb_hmt_sanctions": "uk_hmt",
    "us_trade_csl": "us_csl",
    "us_ofac_sdn": "us_ofac_sdn",
    "us_ofac_cons": "us_ofac_cons",
    "eu_fsf": "eu_fsf",
    "kz_afm_terrorists": "kz_afm",
}
COLLECTIONS = ("default", "sanctions", "all")
KNOWN_PARAMS = frozenset(
    {
        "limit",
        "threshold",
        "cutoff",
        "algorithm",
        "include_dataset",
        "exclude_dataset",
        "exclude_schema",
        "topics",
        "changed_since",
        "exclude_entity_ids",
    }
)
EXPORT_CONTROL_LISTS = ("entity list", "unverified list", "military end user", "denied persons")


def topics_of(source: str, lists: list[str]) -> list[str]:
    """FollowTheMoney topics of a listed party: export-control lists of the CSL are
    ``export.control``, the rest ``sanction``."""
    low = " ".join(lists).lower()
    if source == "us_csl" and any(name in low for name in EXPORT_CONTROL_LISTS):
        return ["export.control"]
    return ["sanction"]


def _values(props: dict[str, Any], name: str) -> list[str]:
    value = props.get(name)
    if value is None:
        return []
    items = value if isinstance(value, list) else [value]
    return [str(v).strip() for v in items if str(v).strip()]


def _sources(dataset: str, loaded: list[str]) -> set[str]:
    if dataset in COLLECTIONS:
        return set(loaded)
    source = ALIASES.get(dataset, dataset)
    if source not in loaded:
        known = sorted({*COLLECTIONS, *loaded, *(a for a, s in ALIASES.items() if s in loaded)})
        raise NotFound(f"unknown dataset {dataset!r}; known datasets: {', '.join(known)}")
    return {source}


def _stamp(text: str | None, name: str) -> str | None:
    """An ISO timestamp in the store's format (UTC when no zone is given)."""
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as exc:
        raise InvalidQuery(f"{name} {text[:40]!r}: expected an ISO timestamp") from exc
    return stamp(moment if moment.tzinfo else moment.replace(tzinfo=UTC))


def register(app: FastAPI, state: ApiState, Auth: Any) -> None:  # noqa: N803 - a type alias
    store = state.store
    client = requires("client")

    def explanations(r: ScreeningResult) -> dict[str, dict[str, Any]]:
        exp = r.explanation
        out: dict[str, dict[str, Any]] = {
            "name": {
                "score": exp.name_score,
                "detail": exp.summary(),
                "query": exp.query_name,
                "candidate": exp.matched_name,
            }
        }
        for adj in exp.adjustments:
            out[adj.feature] = {
                "score": round(adj.delta, 4),
                "detail": adj.detail,
                "query": None,
                "candidate": None,
            }
        return out

    def answer(
        dataset_sources: set[str],
        key: str,
        example: dict[str, Any],
        p: dict[str, Any],
    ) -> dict[str, Any]:
        schema = example.get("schema")
        props = example.get("properties") or {}
        if schema not in SCHEMAS:
            raise InvalidQuery(
                f"Cannot parse example entity: {key}: unknown schema {schema!r} "
                f"(expected one of {', '.join(SCHEMAS)})"
            )
        if not isinstance(props, dict):
            raise InvalidQuery(f"Cannot parse example entity: {key}: properties must be an object")
        names = _values(props, "name")
        if not names:
            raise InvalidQuery(f"Cannot parse example entity: {key}: it has no name")
        if len(names) > MAX_NAMES:
            raise RequestTooLarge(f"query {key}: {len(names)} names, at most {MAX_NAMES}")
        countries = [
            *_values(props, "nationality"),
            *_values(props, "country"),
            *_values(props, "jurisdiction"),
        ]
        dates = _values(props, "birthDate") or _values(props, "incorporationDate")
        dob = dates[0] if dates else None
        ids = tuple(v for prop in ID_PROPERTIES for v in _values(props, prop))
        kind = SCHEMAS[schema]
        best: dict[str, tuple[ScreeningResult, str]] = {}
        for name in names:
            q = PartyQuery(
                name,
                kind,
                parse_date(dob) if dob else None,
                to_iso2(countries[0]) if countries else None,
                ids,
            )
            found = state.screener.screen(
                q, threshold=p["cutoff"], limit=CANDIDATES, budget=state.config.screen_budget
            )
            for r in found:
                party = r.profile_id or r.entity_id
                if party not in best or best[party][0].score < r.score:
                    best[party] = (r, name)
        kept = []
        for r, _name in sorted(best.values(), key=lambda x: (-x[0].score, x[0].entity_id)):
            if r.source not in dataset_sources and r.ownership is None:
                # the party matched on another list: report its listing in this dataset
                inside = [x for x in r.listings if x["source"] in dataset_sources]
                if not inside:
                    continue
                r = replace(r, entity_id=inside[0]["entity_id"], source=inside[0]["source"])
            if r.source in p["exclude_dataset"] or r.entity_id in p["exclude_entity_ids"]:
                continue
            if p["include_dataset"] and r.source not in p["include_dataset"]:
                continue
            kept.append(r)
        changes = store.last_changes([r.entity_id for r in kept])
        results = []
        for r in kept:
            ent = store.get_entity(r.entity_id)
            main: dict[str, Any] = (
                to_ftm(ent)[0] if ent is not None else {"schema": "LegalEntity", "properties": {}}
            )
            if main["schema"] in p["exclude_schema"]:
                continue
            topics = topics_of(r.source, list(ent.lists) if ent is not None else [])
            if p["topics"] and not set(p["topics"]) & set(topics):
                continue
            last_change = changes.get(r.entity_id)
            if p["changed_since"] and (last_change is None or last_change < p["changed_since"]):
                continue
            properties = dict(main.get("properties", {}))
            properties.setdefault("topics", topics)
            results.append(
                {
                    "id": r.entity_id,
                    "caption": r.caption,
                    "schema": main["schema"],
                    "properties": properties,
                    "datasets": sorted({r.source} | {x["source"] for x in r.listings}),
                    "referents": [i for i in r.entity_ids if i != r.entity_id],
                    "target": True,
                    "first_seen": None,
                    "last_seen": None,
                    "last_change": last_change,
                    "score": r.score,
                    "match": r.score >= p["threshold"],
                    "features": {"name": r.explanation.name_score}
                    | {a.feature: round(a.delta, 4) for a in r.explanation.adjustments},
                    "explanations": explanations(r),
                    "corridor": {
                        "explanation": r.explanation.to_dict(),
                        "ownership": r.ownership,
                        "profile_id": r.profile_id,
                        "listings": r.listings,
                    },
                }
            )
            if len(results) >= p["limit"]:
                break
        return {
            "status": 200,
            "results": results,
            "total": {"value": len(results), "relation": "eq"},
            "query": example,
        }

    @app.post("/match/{dataset}", tags=["screening"], response_model=R.EntityMatchResponse)
    async def match(
        dataset: str,
        req: MatchRequest,
        request: Request,
        principal: Auth,
        limit: int = Query(default=5, ge=1, le=MAX_MATCHES),
        threshold: float = Query(default=0.85, ge=0.0, le=1.0),
        cutoff: float = Query(default=0.5, ge=0.0, le=1.0),
        algorithm: str = Query(default="best", max_length=64),
        include_dataset: list[str] = Query(default=[]),  # noqa: B008 - FastAPI's idiom
        exclude_dataset: list[str] = Query(default=[]),  # noqa: B008
        exclude_schema: list[str] = Query(default=[]),  # noqa: B008
        topics: list[str] = Query(default=[]),  # noqa: B008
        changed_since: str | None = Query(default=None, max_length=64),
        exclude_entity_ids: list[str] = Query(default=[]),  # noqa: B008
    ) -> JSONResponse:
        """The OpenSanctions yente ``/match`` API: FollowTheMoney entity examples in, scored
        results out, every yente parameter honoured (or refused with a 400 naming it).
        ``dataset`` is a source, yente's name for it, or ``default``/``sanctions`` for every
        list loaded; an unknown one is a 404. ``algorithm`` is accepted for compatibility:
        Corridor's scorer answers every algorithm name. Warnings about stale lists come in the
        ``X-Corridor-Warnings`` header (yente's response has no place for them)."""
        client(principal)
        unknown = sorted(set(request.query_params) - KNOWN_PARAMS)
        if unknown:
            raise InvalidQuery(f"unknown query parameter(s): {', '.join(unknown)}")
        if not req.queries:
            raise InvalidQuery("No queries provided.")
        if len(req.queries) > MAX_BATCH:
            raise RequestTooLarge(f"{len(req.queries)} queries: at most {MAX_BATCH} a request")
        if len(exclude_entity_ids) > MAX_EXCLUDED_IDS:
            raise InvalidQuery(f"exclude_entity_ids: at most {MAX_EXCLUDED_IDS}")
        loaded = [s for s, _v in store.active_signature()]
        sources = _sources(dataset, loaded)
        params = {
            "limit": limit,
            "threshold": threshold,
            "cutoff": min(cutoff, threshold),
            "include_dataset": {ALIASES.get(d, d) for d in include_dataset},
            "exclude_dataset": {ALIASES.get(d, d) for d in exclude_dataset},
            "exclude_schema": set(exclude_schema),
            "topics": set(topics),
            "changed_since": _stamp(changed_since, "changed_since"),
            "exclude_entity_ids": set(exclude_entity_ids),
        }

        def run() -> dict[str, Any]:
            return {
                key: answer(sources, key, example, params) for key, example in req.queries.items()
            }

        responses = await state.compute(run)
        await state.audit.arecord(
            principal.user.username,
            "screen.match",
            f"match:{dataset}",
            {"queries": len(req.queries)},
        )
        warnings = state.freshness.messages()
        return JSONResponse(
            {"responses": responses, "limit": limit},
            headers={WARNINGS_HEADER: " | ".join(warnings)} if warnings else None,
        )
