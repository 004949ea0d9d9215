"""Called by scripts/refvalues.sh: scikit-bio's values for the sample tables
and trees of pipeline/metrics/testdata (Faith PD, UniFrac, Bray–Curtis,
Jaccard, Aitchison, CLR, multiplicative replacement, PCoA, PERMANOVA), merged
with vegan's and R's (scripts/refvalues_beta.R) into one JSON document.

Distances are condensed (upper triangle row by row). Values are JSON numbers
(Python repr: shortest round-trip), "NaN", "Inf", "-Inf", or
"error: <exception>" where the tool raised. Needs Debian's python3-skbio;
run with /usr/bin/python3.
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
from skbio import TreeNode
from skbio.diversity import alpha, beta_diversity
from skbio.stats.composition import clr, multiplicative_replacement
from skbio.stats.distance import permanova
from skbio.stats.ordination import pcoa


def read_table(path):
    samples, groups, rows = [], [], []
    taxa = None
    with open(path) as f:
        for line in f:
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            fields = line.split("\t")
            if taxa is None:
                taxa = fields[1:-1]
                continue
            samples.append(fields[0])
            rows.append([int(v) for v in fields[1:-1]])
            groups.append(fields[-1])
    return samples, taxa, np.array(rows, dtype=int), groups


def num(v):
    v = float(v)
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return "Inf" if v > 0 else "-Inf"
    return v


def values(fn):
    """fn() → scalar or array; returns a number or a list, or an error string."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            v = fn()
    except Exception as e:
        return "error: %s: %s" % (type(e).__name__, e)
    if np.ndim(v) == 0:
        return num(v)
    return [values(lambda: x) if np.ndim(x) else num(x) for x in np.asarray(v)]


def condensed(dm):
    d = np.asarray(dm.data)
    n = d.shape[0]
    return [d[i, j] for i in range(n) for j in range(i + 1, n)]


def parse_r(path):
    out, version = {}, ("", "")
    with open(path) as f:
        for line in f:
            fields = line.rstrip("\n").split("\t")
            if fields[0] == "#":
                version = (fields[2], fields[3])
                continue
            section, name, metric, v = fields
            if v.startswith("error:"):
                val = v
            else:
                val = ["NaN" if s in ("NA", "NaN") else float(s) for s in v.split(",")]
            out.setdefault(section, {}).setdefault(name, {})[metric] = val
    return out, version


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tables", nargs="+", required=True)
    ap.add_argument("--trees", nargs="+", required=True)
    ap.add_argument("--r", required=True)
    ap.add_argument("--debs", default="")
    ap.add_argument("--inputs", nargs="*", default=[])
    ap.add_argument("--depths", required=True)
    a = ap.parse_args()
    r, (vegan_version, r_version) = parse_r(a.r)

    tables = []
    for path in a.tables:
        name = path.rsplit("/", 1)[-1].removesuffix(".tsv")
        samples, taxa, x, groups = read_table(path)
        sk = {}
        for tpath in a.trees:
            tname = tpath.rsplit("/", 1)[-1].removesuffix(".nwk")
            tree = TreeNode.read(tpath, convert_underscores=False)
            sk[tname] = {
                "faith_pd": values(lambda: [alpha.faith_pd(row, taxa, tree) for row in x]),
                "unweighted_unifrac": values(lambda: condensed(beta_diversity(
                    "unweighted_unifrac", x, samples, otu_ids=taxa, tree=tree))),
                "weighted_unifrac": values(lambda: condensed(beta_diversity(
                    "weighted_unifrac", x, samples, otu_ids=taxa, tree=tree, normalized=False))),
                "weighted_normalized_unifrac": values(lambda: condensed(beta_diversity(
                    "weighted_unifrac", x, samples, otu_ids=taxa, tree=tree, normalized=True))),
            }
        sk["braycurtis"] = values(lambda: condensed(beta_diversity("braycurtis", x, samples)))
        sk["jaccard"] = values(lambda: condensed(beta_diversity("jaccard", x > 0, samples, validate=False)))
        sk["aitchison_p1"] = values(lambda: condensed(beta_diversity(
            "euclidean", clr(x + 1.0), samples, validate=False)))
        sk["aitchison_mr"] = values(lambda: condensed(beta_diversity(
            "euclidean", clr(multiplicative_replacement(x)), samples, validate=False)))
        sk["multiplicative_replacement"] = values(lambda: multiplicative_replacement(x))
        sk["clr_p1"] = values(lambda: clr(x + 1.0))
        if name == "beta_table":
            for metric, dm in [
                ("braycurtis", beta_diversity("braycurtis", x, samples)),
                ("aitchison_p1", beta_diversity("euclidean", clr(x + 1.0), samples, validate=False)),
                ("unweighted_unifrac", beta_diversity("unweighted_unifrac", x, samples, otu_ids=taxa,
                                                      tree=TreeNode.read(a.trees[0], convert_underscores=False))),
            ]:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    o = pcoa(dm)
                sk["pcoa_" + metric] = {
                    "eigvals": values(lambda: o.eigvals.values),
                    "proportion_explained": values(lambda: o.proportion_explained.values),
                    "coordinates": values(lambda: o.samples.values),
                }
                res = permanova(dm, groups, permutations=9999)
                sk["permanova_" + metric] = {"F": num(res["test statistic"]), "p9999": num(res["p-value"])}
        tables.append({"name": name, "samples": samples, "taxa": taxa,
                       "counts": x.tolist(), "groups": groups,
                       "skbio": sk, "vegan": r.get("table", {}).get(name, {})})

    doc = {
        "provenance": {
            "command": "scripts/refvalues.sh",
            "inputs": a.inputs,
            "scripts": ["scripts/refvalues.sh", "scripts/refvalues_beta.py", "scripts/refvalues_beta.R"],
            "python": platform.python_version(),
            "scikit-bio": skbio.__version__,
            "numpy": np.__version__,
            "scipy": scipy.__version__,
            "vegan": vegan_version,
            "R": r_version,
            "debian_packages": [d for d in a.debs.split(",") if d],
            "calls": {
                "skbio": "TreeNode.read(nwk, convert_underscores=False); alpha.faith_pd; beta_diversity("
                         "'unweighted_unifrac'|'weighted_unifrac'(normalized=False|True)|'braycurtis'|"
                         "'jaccard' on counts > 0|'euclidean' on clr(x + 1) and on clr(multiplicative_replacement(x))); "
                         "pcoa(dm); permanova(dm, groups, permutations=9999)",
                "vegan": "vegdist(x, 'bray'|'jaccard' binary|'aitchison' pseudocount=1); cmdscale(eig=TRUE); "
                         "adonis2(d ~ group, permutations=9999, set.seed(1)); rarefy(x, n); "
                         "t.test(var.equal=FALSE) on decostand(x, 'clr', pseudocount=1); p.adjust(p, 'BH')",
            },
        },
        "tables": tables,
        "rarefy": r.get("rarefy", {}),
        "rarefy_depths": [int(d) for d in a.depths.split(",")],
        "bh": r.get("bh", {}).get("fixed", {}),
    }
    json.dump(doc, sys.stdout, indent=1, allow_nan=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
