#!/usr/bin/env python3
"""Convert the annotated held-out stories into a gold JSONL file.

Reads every story-*.txt in this script's folder (sorted by file name) and writes
../stories.gold.jsonl, one JSON object per line:

    {"id": "story-01", "text": "...", "entities": [
        {"start": S, "end": E, "type": "PERSON"|"LOCATION"|"ORGANIZATION", "text": "..."}]}

Markup is the corpus format from GUIDELINES.md: [PER name], [LOC name], [ORG name].
The text is the file content with every [LABEL name] replaced by name, line breaks
normalised to "\n" and trailing whitespace at the end of the file removed.
Offsets are character offsets into that text, end exclusive. Only Basic Multilingual
Plane characters are allowed, so the offsets equal C# (UTF-16) string indices.

Standard library only. Exits non-zero on any markup error.
"""

import json
import re
import sys
from pathlib import Path

LABELS = {"PER": "PERSON", "LOC": "LOCATION", "ORG": "ORGANIZATION"}
OPEN_RE = re.compile(r"\[([A-Za-z]*)(\s?)")
WORD_RE = re.compile(r"\S+")


class MarkupError(Exception):
    pass


def parse(raw, name):
    """Return (text, entities) for one annotated story."""
    if raw.startswith("\ufeff"):
        raw = raw[1:]
    raw = raw.replace("\r\n", "\n").replace("\r", "\n").rstrip()

    for i, ch in enumerate(raw):
        if ord(ch) > 0xFFFF:
            line = raw.count("\n", 0, i) + 1
            raise MarkupError(f"{name}:{line}: character U+{ord(ch):X} is outside the BMP")

    out = []          # pieces of the plain text
    length = 0        # running length of the plain text
    entities = []
    current = None    # (label, plain-text start, raw position of '[') while inside an entity
    i = 0
    while i < len(raw):
        ch = raw[i]
        line = raw.count("\n", 0, i) + 1
        if ch == "[":
            if current is not None:
                raise MarkupError(f"{name}:{line}: nested '[' inside [{current[0]} ...]")
            m = OPEN_RE.match(raw, i)
            label, space = m.group(1), m.group(2)
            if label not in LABELS:
                raise MarkupError(f"{name}:{line}: unknown label {label!r} in {raw[i:i + 20]!r}")
            if space != " ":
                raise MarkupError(f"{name}:{line}: expected one space after '[{label}'")
            current = (label, length, i)
            i = m.end()
            continue
        if ch == "]":
            if current is None:
                raise MarkupError(f"{name}:{line}: unbalanced ']'")
            label, start, _ = current
            ent_text = "".join(out)[start:]
            if not ent_text:
                raise MarkupError(f"{name}:{line}: empty [{label}] entity")
            if ent_text != ent_text.strip():
                raise MarkupError(f"{name}:{line}: leading/trailing space in [{label} {ent_text}]")
            if "\n" in ent_text:
                raise MarkupError(f"{name}:{line}: entity spans a line break: {ent_text!r}")
            entities.append({"start": start, "end": length, "type": LABELS[label], "text": ent_text})
            current = None
            i += 1
            continue
        out.append(ch)
        length += 1
        i += 1

    if current is not None:
        line = raw.count("\n", 0, current[2]) + 1
        raise MarkupError(f"{name}:{line}: unclosed [{current[0]} ...")

    text = "".join(out)
    if text != text.rstrip():
        # markup at the very end followed by whitespace cannot happen after rstrip, but be safe
        raise MarkupError(f"{name}: trailing whitespace after removing markup")
    for e in entities:
        assert text[e["start"]:e["end"]] == e["text"], (name, e)
    return text, entities


def check_layout(text, name):
    lines = text.split("\n")
    if len(lines) < 3 or not lines[0].strip() or lines[1] != "":
        raise MarkupError(f"{name}: expected a headline, a blank line, then the body")


def main():
    here = Path(__file__).resolve().parent
    files = sorted(here.glob("story-*.txt"))
    if not files:
        sys.exit(f"no story-*.txt files in {here}")
    target = here.parent / "stories.gold.jsonl"

    records = []
    type_counts = {v: 0 for v in LABELS.values()}
    total_words = 0
    try:
        for path in files:
            name = path.name
            text, entities = parse(path.read_text(encoding="utf-8"), name)
            check_layout(text, name)
            words = len(WORD_RE.findall(text))
            total_words += words
            if not 250 <= words <= 600:
                print(f"warning: {name} has {words} words (expected 250-600)", file=sys.stderr)
            for e in entities:
                type_counts[e["type"]] += 1
            records.append({"id": path.stem, "text": text, "entities": entities})
            print(f"{path.stem}: {words} words, {len(entities)} entities")
    except MarkupError as err:
        sys.exit(f"error: {err}")

    with open(target, "w", encoding="utf-8", newline="\n") as f:
        for r in records:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")

    # Re-read the output and verify every offset once more.
    with open(target, encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            for e in r["entities"]:
                assert r["text"][e["start"]:e["end"]] == e["text"], (r["id"], e)

    print(f"stories: {len(records)}")
    print(f"words: {total_words}")
    for t, n in type_counts.items():
        print(f"{t}: {n}")
    print(f"entities: {sum(type_counts.values())}")
    print(f"wrote {target}")


if __name__ == "__main__":
    main()
