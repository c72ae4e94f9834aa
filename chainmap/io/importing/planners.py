"""Plan one row per import kind: honours, relations, projects and contacts (firms: :mod:`.firms`)."""
from __future__ import annotations


from ..schemas import SPECS
from .cells import Bad
from .firms import firm_ref, plan_firm, resolve_chain, resolve_link
from .merging import Context, fill, put, stored_record

__all__ = ["PLANNERS"]


def _plan_keyed(table: str, rec: dict, ctx: Context, fid: str | None, info: dict) -> dict:
    record = fill(table, rec, stored_record(ctx, table, tuple(rec.get(k) for k in SPECS[table].key)), ctx.file)
    action, _ = put(ctx, table, record)
    return {"action": action, "firm_id": fid, **info}


def _plan_honour(rec: dict, ctx: Context) -> dict:
    fid, info = firm_ref(rec, ctx, "firm_id", "firm", "credit_code")
    if fid is None:
        return {"firm_id": None, **info}
    if not rec.get("list"):
        raise ctx.bad("list", "required")
    rec = {**rec, "firm_id": fid, "detail": rec.get("detail", "")}
    return _plan_keyed("honours", rec, ctx, fid, info)


def _plan_relation(rec: dict, ctx: Context) -> dict:
    src, info = firm_ref(rec, ctx, "src_id", "src", None)
    if src is None:
        return {"firm_id": None, **info}
    dst, info2 = firm_ref(rec, ctx, "dst_id", "dst", None)
    if dst is None:
        return {"firm_id": src, **info2}
    if src == dst:
        raise ctx.bad("dst" if "dst" in ctx.headers else "dst_id", "self_relation", firm=src)
    if not rec.get("type"):
        raise ctx.bad("type", "required")
    rec = {**rec, "src": src, "dst": dst}
    return _plan_keyed("relations", rec, ctx, src, {"reason": info["reason"] + info2["reason"]})


def _plan_project(rec: dict, ctx: Context) -> dict:
    for c in ("name", "chain", "stage"):
        if not rec.get(c):
            raise ctx.bad(c, "required")
    chain = resolve_chain(rec, ctx)
    rec = {**rec, "chain": chain, "link_id": resolve_link(rec, ctx, chain, "link_id")}
    info = {"reason": (("investor_not_named", {}),)}
    fid = None
    if rec.get("investor_id") or rec.get("investor_name") or rec.get("credit_code"):
        try:
            fid, info = firm_ref(rec, ctx, "investor_id", "investor_name", "credit_code")
        except Bad as e:
            if rec.get("investor_id"):
                raise
            fid, info = None, {"reason": (("investor_not_in_library", {"value": e.args[0][2].get("value", "")}),)}
        if info.get("action") == "review":
            return {"firm_id": None, "name": rec["name"], **info}
    rec["investor_id"] = fid or ""
    if not rec.get("id"):
        rec["id"] = _project_id(rec, ctx)
    return {"name": rec["name"], **_plan_keyed("projects", rec, ctx, fid or None, info)}


def _project_id(rec: dict, ctx: Context) -> str:
    """An id for a ledger row that has none, in the ledger's own form ``P{year}-{NNN}``.

    The project already stored (or planned from an earlier row) under the same
    name and investor keeps its id, so re-importing a ledger updates it; a new
    one takes the next free number of its signing year (else this year's).
    """
    investor = (rec.get("investor_id") or "", rec.get("investor_name") or "")
    p = ctx.tables.projects
    same = p[(p["name"] == rec["name"]) & ((p["investor_id"] == investor[0]) & (investor[0] != "")
                                          | (p["investor_name"] == investor[1]))]
    if len(same):
        return str(same["id"].iloc[0])
    planned = ctx.out.get("projects", {})
    for key, r in planned.items():
        if r.get("name") == rec["name"] and (r.get("investor_id") or "", r.get("investor_name") or "") == investor:
            return key[0]
    signed = str(rec.get("signed_on") or "")
    year = int(signed[:4]) if signed[:4].isdigit() else ctx.today.year
    used = set(p["id"]) | {k[0] for k in planned}
    n = sum(1 for i in used if str(i).startswith(f"P{year}-")) + 1
    while f"P{year}-{n:03d}" in used:
        n += 1
    return f"P{year}-{n:03d}"


def _plan_contact(rec: dict, ctx: Context) -> dict:
    fid, info = firm_ref(rec, ctx, "firm_id", "firm", "credit_code")
    if fid is None:
        return {"firm_id": None, **info}
    for c in ("chain", "status"):
        if not rec.get(c):
            raise ctx.bad(c, "required")
    rec = {**rec, "firm_id": fid, "chain": resolve_chain(rec, ctx),
           "updated_by": rec.get("updated_by") or ctx.author, "updated_at": rec.get("updated_at") or ctx.today.isoformat()}
    return _plan_keyed("followups", rec, ctx, fid, info)


PLANNERS = {"firms": plan_firm, "honours": _plan_honour, "relations": _plan_relation, "projects": _plan_project,
             "contacts": _plan_contact}

