#!/usr/bin/python3
"""scikit-learn baseline for the matcher: TfidfVectorizer + cosine.

Inputs are token files written by the C# side (one document a line: kind<TAB>id<TAB>space-separated
tokens), so both sides see exactly the same analyzer output. Settings equal to MatchOptions.Plain:
sublinear_tf, smooth_idf, L2 norm, idf fitted on challenges and vendors together.

  pairs  DOCS OUT            every challenge-vendor cosine, written as challengeId<TAB>vendorId<TAB>score
  raw    CHALLENGES VENDORS OUT
                             sklearn's own default analyzer on raw text (a plain, untuned baseline)
  speed  DOCS QUERIES        build / single-query / all-pairs timings, printed as JSON
"""
import json
import sys
import time

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer


def read_docs(path):
    kinds, ids, texts = [], [], []
    with open(path, encoding="utf-8") as f:
        for line in f:
            kind, doc_id, tokens = line.rstrip("\n").split("\t", 2)
            kinds.append(kind)
            ids.append(doc_id)
            texts.append(tokens)
    return kinds, ids, texts


def vectorizer():
    # str.split keeps our tokens exactly; no lower-casing or pattern of sklearn's own.
    return TfidfVectorizer(analyzer=str.split, sublinear_tf=True, smooth_idf=True, norm="l2", dtype=np.float32)


def write_pairs(out, challenge_ids, vendor_ids, scores):
    with open(out, "w", encoding="utf-8") as f:
        for i, c in enumerate(challenge_ids):
            row = scores[i]
            for j, v in enumerate(vendor_ids):
                f.write(f"{c}\t{v}\t{row[j]:.7f}\n")


def pairs(docs, out):
    kinds, ids, texts = read_docs(docs)
    matrix = vectorizer().fit_transform(texts)
    c_rows = [i for i, k in enumerate(kinds) if k == "c"]
    v_rows = [i for i, k in enumerate(kinds) if k == "v"]
    scores = (matrix[c_rows] @ matrix[v_rows].T).toarray()
    write_pairs(out, [ids[i] for i in c_rows], [ids[i] for i in v_rows], scores)


def raw(challenges, vendors, out):
    def load(path, vendor):
        ids, texts = [], []
        with open(path, encoding="utf-8") as f:
            for line in f:
                d = json.loads(line)
                ids.append(d["id"])
                if vendor:
                    parts = [d.get("profile", "")] + [p.get("title", "") + " " + p.get("text", "") for p in d.get("portfolio", [])]
                else:
                    parts = [d.get("title", ""), d.get("description", "")] + d.get("acceptanceTargets", [])
                texts.append(" ".join(parts + d.get("tags", [])))
        return ids, texts

    c_ids, c_texts = load(challenges, False)
    v_ids, v_texts = load(vendors, True)
    vec = TfidfVectorizer(sublinear_tf=True)
    matrix = vec.fit_transform(c_texts + v_texts)
    scores = (matrix[: len(c_ids)] @ matrix[len(c_ids):].T).toarray()
    write_pairs(out, c_ids, v_ids, scores)


def top_k(rows, k):
    part = np.argpartition(-rows, k, axis=1)[:, :k]
    order = np.take_along_axis(rows, part, axis=1).argsort(axis=1)[:, ::-1]
    return np.take_along_axis(part, order, axis=1)


def speed(docs, queries):
    kinds, ids, texts = read_docs(docs)
    result = {}
    start = time.perf_counter()
    vec = vectorizer()
    matrix = vec.fit_transform(texts)
    result["build_seconds"] = time.perf_counter() - start
    result["build_documents"] = len(texts)

    v_rows = np.array([i for i, k in enumerate(kinds) if k == "v"])
    vendors = matrix[v_rows].tocsr()
    _, _, query_texts = read_docs(queries)
    timings = []
    for text in query_texts:
        t0 = time.perf_counter()
        q = vec.transform([text])
        scores = (vendors @ q.T).toarray().ravel()
        top = np.argpartition(-scores, 10)[:10]
        top = top[np.argsort(-scores[top])]
        timings.append(time.perf_counter() - t0)
    result["single_query_vendors"] = int(vendors.shape[0])
    result["single_query_median_ms"] = float(np.median(timings) * 1000)

    # All pairs: the first 10,000 challenges against the first 10,000 vendors, fitted on those alone.
    c_idx = [i for i, k in enumerate(kinds) if k == "c"][:10000]
    v_idx = [i for i, k in enumerate(kinds) if k == "v"][:10000]
    start = time.perf_counter()
    sub = vectorizer().fit_transform([texts[i] for i in c_idx + v_idx])
    challenges = sub[: len(c_idx)].tocsr()
    vendors_t = sub[len(c_idx):].T.tocsc()
    tops = []
    for s in range(0, challenges.shape[0], 500):
        block = (challenges[s: s + 500] @ vendors_t).toarray()
        tops.append(top_k(block, 10))
    result["all_pairs_seconds"] = time.perf_counter() - start
    result["all_pairs"] = f"{len(c_idx)} x {len(v_idx)}"
    print(json.dumps(result))


if __name__ == "__main__":
    mode = sys.argv[1]
    if mode == "pairs":
        pairs(sys.argv[2], sys.argv[3])
    elif mode == "raw":
        raw(sys.argv[2], sys.argv[3], sys.argv[4])
    elif mode == "speed":
        speed(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)
