"""Validate many councils' returns at once, for a regional team: one process per return.

The unit of work is one council's return, so a batch is a pool of processes on one
machine (``--jobs``); nothing is shared between councils but the Ofsted lists. Each
return gets its annotated copy, findings CSV and error profile in the output folder,
and the profiles then make the regional benchmark workbook. One return that cannot be
read is reported and the others go on.

Which file is which (the naming rule): a return's last-year return is the file or folder
beside it with ``_last`` added to its name (``barnet.xlsx`` -> ``barnet_last.xlsx``,
``barnet/`` -> ``barnet_last/``); inputs named that way are never validated themselves.
The council code is the first upper-tier ONS code in the name (``E09000003_903.xlsx``).
A manifest CSV (columns ``return``, ``previous``, ``la``, ``providers``; paths relative
to the manifest) says it explicitly instead and wins.
"""
from __future__ import annotations

import csv
import os
import re
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from ..read import InputError

LA_CODE = re.compile(r"E(06|07|08|09|10|11)\d{6}", re.I)


@dataclass
class Job:
    source: Path
    previous: Path | None
    la: str | None
    providers: list[str]
    year: str | None
    out: Path


@dataclass
class Done:
    source: str
    council: str
    ok: bool
    message: str
    findings: int = 0
    seconds: float = 0.0
    profile: Path | None = None


def _stem(path: Path) -> str:
    return path.name[:-len(path.suffix)] if path.suffix and not path.is_dir() else path.name


def _last_of(path: Path) -> Path | None:
    candidate = path.with_name(_stem(path) + "_last" + ("" if path.is_dir() else path.suffix))
    return candidate if candidate.exists() else None


def jobs_for(inputs: list, out: Path, year: str | None = None, providers=None, manifest=None) -> list[Job]:
    """The work: one job per council's return, by the naming rule or the manifest."""
    providers = [str(p) for p in providers or []]
    if manifest is not None:
        manifest = Path(manifest)
        try:
            rows = list(csv.DictReader(manifest.read_text(encoding="utf-8-sig").splitlines()))
        except (OSError, UnicodeDecodeError) as e:
            raise InputError(f"{manifest}: cannot read the manifest ({e})") from None
        if not rows or "return" not in rows[0]:
            raise InputError(f"{manifest}: expected a header row with the columns return, previous, la, providers")
        base = manifest.parent
        found = []
        for n, r in enumerate(rows, start=2):
            if not (r.get("return") or "").strip():
                raise InputError(f"{manifest}, line {n}: the 'return' column is blank")
            src = base / r["return"].strip()
            prev = base / r["previous"].strip() if (r.get("previous") or "").strip() else None
            own = [str(base / p.strip()) for p in (r.get("providers") or "").split(";") if p.strip()]
            found.append(Job(src, prev, (r.get("la") or "").strip() or None, own or providers, year, out))
    else:
        found = []
        for item in map(Path, inputs):
            if _stem(item).lower().endswith("_last"):
                continue
            code = LA_CODE.search(item.name)
            found.append(Job(item, _last_of(item), code.group().upper() if code else None, providers, year, out))
    stems = [_stem(j.source) for j in found]
    twice = sorted({s for s in stems if stems.count(s) > 1})
    if twice:
        raise InputError(f"two returns would write outputs of the same name: {', '.join(twice)}; rename one")
    if not found:
        raise InputError("no returns to validate (inputs ending in _last are last year's returns)")
    return found


def run_one(job: Job) -> Done:
    """Validate one return and write its outputs; any failure becomes a message, never an exception."""
    from .. import validate
    from ..annotate import write_annotated
    from ..annotate.safe_text import findings_csv
    from ..outputs import save_text
    from ..report.profile import error_profile, profile_json

    t0 = time.perf_counter()
    stem = _stem(job.source)
    try:
        report = validate(job.source, year=job.year, previous=job.previous, local_authority=job.la,
                          provider_info=job.providers or None)
        is_book = job.source.suffix.lower() in (".xlsx", ".xlsm")
        write_annotated(report, job.source if is_book else None, job.out / f"{stem}_checked.xlsx")
        save_text(findings_csv(report.findings), job.out / f"{stem}_findings.csv")
        profile = job.out / f"{stem}_profile.json"
        save_text(profile_json(error_profile(report, job.la)), profile)
    except (InputError, OSError, ValueError, MemoryError) as e:
        return Done(str(job.source), job.la or "", False, f"{type(e).__name__}: {e}" if not isinstance(e, InputError)
                    else str(e), seconds=time.perf_counter() - t0)
    return Done(str(job.source), job.la or "", True, "", len(report.findings), time.perf_counter() - t0, profile)


def validate_many(jobs: list[Job], workers: int | None = None, progress=None) -> list[Done]:
    """Run the jobs in a pool of ``workers`` processes (default: one per core); results in input order."""
    workers = max(1, min(workers or os.cpu_count() or 1, len(jobs)))
    results: dict[int, Done] = {}
    if workers == 1:
        for i, job in enumerate(jobs):
            results[i] = run_one(job)
            if progress:
                progress(len(results), len(jobs), results[i])
    else:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            futures = {pool.submit(run_one, job): i for i, job in enumerate(jobs)}
            for fut in as_completed(futures):
                results[futures[fut]] = fut.result()
                if progress:
                    progress(len(results), len(jobs), results[futures[fut]])
    return [results[i] for i in range(len(jobs))]
