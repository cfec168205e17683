#!/usr/bin/env python3
"""Compile Sources/*.txt into Resources/gazetteer.tsv.

Output format (the C# loader depends on it): UTF-8 (no BOM), '\n' line ends, no header, one line per
surface form: list<TAB>canonical<TAB>surface. `list` is the source file name without .txt, `canonical`
the first name on the source line, `surface` the canonical and each alias. Lines are unique per
(list, surface) -- when two source lines share a surface, the line whose canonical equals the surface
wins, otherwise the first one in file order. Sorted by list, then surface, ordinal (UTF-16 code units,
as .NET's StringComparer.Ordinal). Deterministic.
"""
import os, sys, unicodedata, re

LISTS = ["country", "city", "region", "org_international", "org_militant", "org_party",
         "org_government", "org_company", "org_media", "given_name", "surname", "name_particle",
         "title", "org_cue", "loc_cue", "demonym", "building", "org_sport", "org_university",
         "product", "non_name", "event", "sport_cue", "function_word"]

def norm(s):
    s = unicodedata.normalize("NFC", s)
    s = s.replace("\t", " ").replace("\r", " ").replace("\u00a0", " ")
    return re.sub(r"\s+", " ", s).strip()

def ordinal_key(s):
    return s.encode("utf-16-be")

def main(src, out):
    files = sorted(f for f in os.listdir(src) if f.endswith(".txt"))
    names = [f[:-4] for f in files]
    missing = [l for l in LISTS if l not in names]
    extra = [n for n in names if n not in LISTS]
    if missing:
        sys.exit(f"missing source lists: {missing}")
    if extra:
        sys.exit(f"unexpected source files (not a known list): {extra}")
    rows = {}   # (list, surface) -> (priority, order, canonical)
    order = 0
    conflicts = 0
    for f in files:
        lst = f[:-4]
        with open(os.path.join(src, f), encoding="utf-8") as fh:
            for lineno, line in enumerate(fh, 1):
                line = line.rstrip("\n")
                if line.startswith("\ufeff"):
                    line = line[1:]
                if not line.strip() or line.lstrip().startswith("#"):
                    continue
                parts = [norm(p) for p in line.split("|")]
                parts = [p for p in parts if p]
                if not parts:
                    continue
                canonical = parts[0]
                for surface in parts:
                    key = (lst, surface)
                    prio = 0 if surface == canonical else 1
                    order += 1
                    old = rows.get(key)
                    if old is None:
                        rows[key] = (prio, order, canonical)
                    elif old[2] != canonical:
                        conflicts += 1
                        if prio < old[0]:
                            rows[key] = (prio, order, canonical)
    lines = []
    for (lst, surface), (_, _, canonical) in rows.items():
        for field in (lst, canonical, surface):
            assert field and "\t" not in field and "\n" not in field, (lst, canonical, surface)
        lines.append((ordinal_key(lst), ordinal_key(surface), f"{lst}\t{canonical}\t{surface}"))
    lines.sort(key=lambda x: (x[0], x[1]))
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    tmp = out + ".tmp"
    with open(tmp, "w", encoding="utf-8", newline="\n") as fh:
        for _, _, l in lines:
            fh.write(l + "\n")
    os.replace(tmp, out)
    counts = {}
    for (lst, _s) in rows:
        counts[lst] = counts.get(lst, 0) + 1
    for l in LISTS:
        print(f"{l:18s} {counts.get(l, 0):7d} surface forms", file=sys.stderr)
    print(f"total {len(lines)} lines, {os.path.getsize(out)} bytes -> {out}; "
          f"{conflicts} same-surface/different-canonical duplicates resolved", file=sys.stderr)

if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: compile.py SOURCES_DIR OUTPUT_TSV")
    main(sys.argv[1], sys.argv[2])
