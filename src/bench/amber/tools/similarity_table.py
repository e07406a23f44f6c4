#!/usr/bin/env python3
"""Writes the spaCy similarity table rlaifv's AMBER scorer reads (src/bench/amber/similarity.ts).

AMBER's upstream scorer calls nlp(a).similarity(nlp(b)) > 0.8 with en_core_web_lg, but only on
words of its closed vocabulary (the keys of relation.json and their associated words), so every
call it can make is answered by this table of pairs.

Usage (needs `pip install spacy` and `python -m spacy download en_core_web_lg`):
    python3 similarity_table.py data/benchmarks/amber/relation.json similarity.json [--threshold 0.8]

Output: {"model": "<name> <version> (spaCy <version>)", "threshold": t,
         "pairs": [[a, b, similarity], ...]} with each unordered pair of distinct words whose
similarity is above t (cosine similarity is symmetric; identical words are always similar and
are not listed).
"""
import argparse
import itertools
import json
import sys


def vocabulary(relation_file):
    with open(relation_file, encoding="utf-8") as f:
        relation = json.load(f)
    words = set(relation)
    for associated in relation.values():
        words.update(associated)
    return sorted(words)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("relation", help="AMBER relation.json")
    parser.add_argument("out", help="where to write the JSON table")
    parser.add_argument("--threshold", type=float, default=0.8, help="list pairs above this similarity (default 0.8, upstream's)")
    parser.add_argument("--model", default="en_core_web_lg", help="spaCy pipeline (upstream: en_core_web_lg)")
    args = parser.parse_args()

    import spacy  # imported here so that --help works without spaCy

    nlp = spacy.load(args.model)
    words = vocabulary(args.relation)
    docs = {w: nlp(w) for w in words}
    pairs = []
    for a, b in itertools.combinations(words, 2):
        score = float(docs[a].similarity(docs[b]))
        if score > args.threshold:
            pairs.append([a, b, round(score, 6)])
    table = {
        "model": f"{args.model} {nlp.meta.get('version', '?')} (spaCy {spacy.__version__})",
        "threshold": args.threshold,
        "pairs": pairs,
    }
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(table, f, indent=0)
    print(f"{len(words)} words, {len(pairs)} pairs above {args.threshold} -> {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
