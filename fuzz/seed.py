#!/usr/bin/env python3
"""Writes the seed inputs of each fuzz target into fuzz/seeds/TARGET/ (not tracked).

plan_loader reads the project's plans and the shared corpus directly; the policy parser gets
every policy document those plans hold; the Markdown target gets each example plan paired with
a few hostile texts. The shared corpus is read where it is, never copied into the project.
"""
import hashlib
import json
import pathlib
import sys

FUZZ = pathlib.Path(__file__).resolve().parent
ROOT = FUZZ.parent
SHARED = ROOT.parent / "shared" / "corpus"


def plans():
    for path in sorted((ROOT / "testdata" / "plans").glob("*.json")):
        yield path
    if SHARED.is_dir():
        yield from sorted(SHARED.rglob("*.json"))


def policy_texts(value):
    """Strings in a plan that hold a JSON object with a Statement: policy documents."""
    if isinstance(value, str):
        if '"Statement"' in value:
            try:
                if isinstance(json.loads(value), dict):
                    yield value
            except ValueError:
                pass
    elif isinstance(value, list):
        for v in value:
            yield from policy_texts(v)
    elif isinstance(value, dict):
        for v in value.values():
            yield from policy_texts(v)


def write(target, data):
    out = FUZZ / "seeds" / target
    out.mkdir(parents=True, exist_ok=True)
    (out / hashlib.sha1(data).hexdigest()).write_bytes(data)


HOSTILE = [
    "x</details>y",
    "<img src=x onerror=alert(1)>",
    "@acme/security-team",
    "a```b`c|d*e_f[g](h)",
    "\x1b[31mred\x1b]8;;http://x\x07\u009b2J",
    "a\r\nb\u2028c\u202eevil",
    "</summary></pre></code><details>",
    "## heading\n- item\n1. one",
    "https://example.com www.example.com",
    "\"quoted\" ['bracket']",
]


def main():
    for path in plans():
        try:
            plan = json.loads(path.read_bytes())
        except ValueError:
            continue
        for text in policy_texts(plan):
            write("policy_parser", text.encode())
    # The Markdown target's input: template number, seed, then the text.
    for template in range(8):
        for seed, text in enumerate(HOSTILE):
            write("markdown", bytes([template, (seed * 37 + 1) % 256]) + text.encode())
    for target in ("policy_parser", "markdown"):
        count = len(list((FUZZ / "seeds" / target).iterdir()))
        print(f"{target}: {count} seeds", file=sys.stderr)


if __name__ == "__main__":
    main()
