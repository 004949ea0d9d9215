"""Called by scripts/refvalues.sh: scikit-bio's alpha and beta diversity values
for the count vectors of pipeline/metrics/testdata, merged with vegan's (from
scripts/refvalues_vegan.R) into one JSON document on stdout.

Values are JSON numbers (Python repr: shortest round-trip), or the strings
"NaN", "Inf", "-Inf", or "error: <exception>" where the tool raised.
Needs Debian's python3-skbio; run with /usr/bin/python3.
"""
import argparse
import json
import math
import platform
import sys
import warnings

import numpy as np
import scipy
import skbio
from skbio.diversity import alpha, beta_diversity


def read_vectors(path):
    out = []
    with open(path) as f:
        for line in f:
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            name, *vals = line.split("\t")
            out.append((name, [[float(v) for v in s.split(",")] for s in vals]))
    return out


def value(fn):
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            v = float(fn())
    except Exception as e:  # the reference's own refusal is a result too
        return "error: %s: %s" % (type(e).__name__, e)
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return "Inf" if v > 0 else "-Inf"
    return v


def vegan_value(s):
    if s in ("NaN", "NA"):
        return "NaN"
    if s in ("Inf", "-Inf") or s.startswith("error:"):
        return s
    return float(s)


def number(x):
    return int(x) if float(x).is_integer() else x


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--alpha", required=True)
    ap.add_argument("--beta", required=True)
    ap.add_argument("--vegan", required=True)
    ap.add_argument("--debs", default="")
    ap.add_argument("--command", default="scripts/refvalues.sh")
    a = ap.parse_args()

    vegan = {}
    vegan_version = r_version = ""
    with open(a.vegan) as f:
        for line in f:
            fields = line.rstrip("\n").split("\t")
            if fields[0] == "#":
                vegan_version, r_version = fields[2], fields[3]
                continue
            section, name, metric, v = fields
            vegan.setdefault((section, name), {})[metric] = vegan_value(v)

    e = np.e
    alphas = []
    for name, (counts,) in read_vectors(a.alpha):
        c = np.array(counts, dtype=int)  # skbio 0.5.8 accepts integer counts only
        sk = {
            "observed": value(lambda: alpha.observed_otus(c)),
            "shannon": value(lambda: alpha.shannon(c, base=e)),
            "shannon_base2": value(lambda: alpha.shannon(c, base=2)),
            "shannon_default_base": value(lambda: alpha.shannon(c)),
            "shannon_base10": value(lambda: alpha.shannon(c, base=10)),
            "simpson": value(lambda: alpha.simpson(c)),
            "inverse_simpson": value(lambda: alpha.enspie(c)),
            "pielou": value(lambda: alpha.pielou_e(c)),
            "chao1": value(lambda: alpha.chao1(c, bias_corrected=True)),
            "chao1_classic": value(lambda: alpha.chao1(c, bias_corrected=False)),
            "ace": value(lambda: alpha.ace(c, rare_threshold=10)),
            "goods_coverage": value(lambda: alpha.goods_coverage(c)),
        }
        alphas.append({"name": name, "counts": [number(x) for x in counts],
                       "skbio": sk, "vegan": vegan.get(("alpha", name), {})})

    betas = []
    for name, (x, y) in read_vectors(a.beta):
        m = np.array([x, y], dtype=float)
        ids = ["a", "b"]
        sk = {
            # validate=False: skbio 0.5.8 would refuse non-integer counts.
            "braycurtis": value(lambda: beta_diversity("braycurtis", m, ids, validate=False)["a", "b"]),
            # presence/absence: scipy's jaccard on raw counts is not binary.
            "jaccard": value(lambda: beta_diversity("jaccard", m > 0, ids, validate=False)["a", "b"]),
            "jaccard_on_raw_counts": value(lambda: beta_diversity("jaccard", m, ids, validate=False)["a", "b"]),
        }
        betas.append({"name": name, "a": [number(v) for v in x], "b": [number(v) for v in y],
                      "skbio": sk, "vegan": vegan.get(("beta", name), {})})

    doc = {
        "provenance": {
            "command": a.command,
            "inputs": [a.alpha, a.beta],
            "scripts": ["scripts/refvalues.sh", "scripts/refvalues_skbio.py", "scripts/refvalues_vegan.R"],
            "python": platform.python_version(),
            "scikit-bio": skbio.__version__,
            "numpy": np.__version__,
            "scipy": scipy.__version__,
            "vegan": vegan_version,
            "R": r_version,
            "debian_packages": [d for d in a.debs.split(",") if d],
            "calls": {
                "skbio": "skbio.diversity.alpha.{observed_otus, shannon(base=e|2|10), simpson, enspie, pielou_e, "
                         "chao1(bias_corrected=True|False), ace(rare_threshold=10), goods_coverage}; "
                         "beta_diversity('braycurtis', counts), beta_diversity('jaccard', counts > 0)",
                "vegan": "specnumber, diversity(x, 'shannon'|'simpson'|'invsimpson'), diversity(x, 'shannon', base=2|10), "
                         "pielou = diversity/log(specnumber), "
                         "estimateR(x)[c('S.chao1','S.ACE')], vegdist(x, 'bray'), vegdist(x, 'jaccard', binary=TRUE)",
            },
        },
        "alpha": alphas,
        "beta": betas,
    }
    json.dump(doc, sys.stdout, indent=1, allow_nan=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
