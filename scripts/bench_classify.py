#!/usr/bin/env python3
"""Helpers for scripts/bench-classify.sh (standard library only).

split GOLD OUTDIR   hold out one sequence from each genus with >= 3 sequences
                    (up to 200; heldout.fasta), every 7th genus of <= 4 sequences
                    whose family has other genera (absent.fasta), and write the
                    rest as train.fasta (gold headers) and train.sintax.fasta.
score TOOL READS OUT   print one TSV line of genus-level scores for a tool's
                    per-read output (formats: zonula, sintax, blast6, paf).

For scripts/bench-community.sh:
loo GOLD SOURCES HITS OUT   write OUT (gold headers): GOLD without the source
                    genes of SOURCES (benchreads sources), the genes vsearch
                    found >= 99.9 % identical to one (HITS, query+target), and
                    the genera of members marked absent.
community TOOL READS OUT TRAIN [ABUNDANCE]   print one JSON line of community
                    scores: genus Bray-Curtis to the truth (classified reads;
                    from abundance.tsv when given), relative error of every
                    genus >= 1 %, per-read genus recall and precision, novel
                    genera and chimeras given a genus, species precision, and
                    for zonula the calibration of its confidence column.
table SCORES        the scores as a Markdown table, draws joined by '/'.
calibration SCORES  zonula's calibration curve over every set in SCORES.
"""
import gzip, re, sys
from collections import OrderedDict

def read_fasta(path):
    name, seq = None, []
    with open(path) as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith(">"):
                if name is not None:
                    yield name, "".join(seq)
                name, seq = line[1:], []
            else:
                seq.append(line.strip())
    if name is not None:
        yield name, "".join(seq)

def lineage_of(header):
    ranks = [r.strip() for r in header.split("\t")[-1].split(";")]
    return ranks + [""] * (6 - len(ranks))

def split(gold, out):
    recs = list(read_fasta(gold))
    by_genus, fam_genera = OrderedDict(), {}
    for i, (h, s) in enumerate(recs):
        lin = lineage_of(h)
        by_genus.setdefault(lin[5], []).append(i)
        fam_genera.setdefault(lin[4], set()).add(lin[5])
    held, absent = set(), set()
    for g, idx in by_genus.items():
        if len(idx) >= 3 and len(held) < 200:
            held.add(idx[1])
    for n, (g, idx) in enumerate(by_genus.items()):
        fam = lineage_of(recs[idx[0]][0])[4]
        if n % 7 == 6 and len(idx) <= 4 and len(fam_genera[fam]) >= 2 and not held.intersection(idx):
            absent.update(idx)
    files = {k: open(f"{out}/{k}.fasta", "w") for k in ("train", "heldout", "absent")}
    sintax = open(f"{out}/train.sintax.fasta", "w")
    for i, (h, s) in enumerate(recs):
        k = "heldout" if i in held else "absent" if i in absent else "train"
        files[k].write(f">{h}\n{s}\n")
        if k == "train":
            lin = lineage_of(h)
            tags = ",".join(f"{p}:{re.sub('[,:; ]', '_', n)}" for p, n in zip("dpcofg", lin) if n)
            sintax.write(f">{h.split()[0]};tax={tags};\n{s}\n")
    print(f"train {sum(1 for i in range(len(recs)) if i not in held and i not in absent)}, heldout {len(held)}, absent {len(absent)}")

def truth(reads):
    """read id -> (kind, genus) from zonula simulate descriptions."""
    return {rid: (kind, ranks[5]) for rid, (kind, ranks) in community_truth(reads).items()}

def genus_of_ref(train):
    return {h.split()[0]: lineage_of(h)[5] for h, _ in read_fasta(train)}

def calls(tool, path, refs):
    """read id -> genus called ("" when none) and chimera flags."""
    out, chim = {}, set()
    op = gzip.open if path.endswith(".gz") else open
    with op(path, "rt") as f:
        for line in f:
            p = line.rstrip("\n").split("\t")
            p[0] = p[0].split()[0]  # vsearch keeps the whole header as the label
            if tool == "zonula":
                if p[0] == "read_id":
                    continue
                if p[1] == "chimera":
                    chim.add(p[0])
                g = re.search(r"g__([^;]*)", p[2])
                out[p[0]] = g.group(1) if g else ""
            elif tool == "sintax":  # id, prediction with confidences, strand, cut-off prediction
                cut = p[3] if len(p) > 3 else ""
                g = re.search(r"g:([^,]*)", cut)
                out[p[0]] = g.group(1).replace("_", " ") if g else ""
            elif tool == "blast6":
                out.setdefault(p[0], refs.get(p[1].split(";")[0], ""))
            elif tool == "paf":
                if "tp:A:P" in line:
                    out.setdefault(p[0], refs.get(p[5], ""))
    return out, chim

def score(tool, reads, path, train, label):
    t = truth(reads)
    called, chim = calls(tool, path, genus_of_ref(train))
    n = {"16S": 0, "chimera": 0, "junk": 0}
    ok = wrong = chim_genus = chim_flag = junk_taxon = 0
    for rid, (kind, genus) in t.items():
        n[kind] += 1
        g = called.get(rid, "")
        if kind == "16S":
            if g and g == genus: ok += 1
            elif g: wrong += 1
        elif kind == "chimera":
            chim_genus += bool(g)
            chim_flag += rid in chim
        else:
            junk_taxon += bool(g)
    r = lambda a, b: f"{a / b:.4f}" if b else "-"
    return [label, tool, n["16S"], r(ok + wrong, n["16S"]), r(ok, n["16S"]), r(ok, ok + wrong), r(chim_genus, n["chimera"]), r(chim_flag, n["chimera"]) if tool == "zonula" else "-", r(junk_taxon, n["junk"])]

def loo(gold, sources, hits, out):
    drop, absent = set(), set()
    with open(sources) as f:
        for line in f:
            p = line.rstrip("\n").split("\t")
            drop.add(p[4])
            if p[3] == "absent":
                absent.add(p[1])
    with open(hits) as f:
        for line in f:
            drop.add(line.split("\t")[1].split()[0])
    kept = 0
    with open(out, "w") as w:
        for h, s in read_fasta(gold):
            if h.split()[0] in drop or lineage_of(h)[5] in absent:
                continue
            w.write(f">{h}\n{s}\n")
            kept += 1
    print(f"kept {kept} genes; dropped {len(drop)} ids and genera {sorted(absent)}", file=sys.stderr)

def community_truth(reads):
    """read id -> (kind, genus, species, lineage list) from benchreads sim."""
    t = {}
    op = gzip.open if reads.endswith(".gz") else open
    with op(reads, "rt") as f:
        for n, line in enumerate(f):
            if n % 4 == 0:
                rid = line[1:].split()[0]
                kind = re.search(r"kind=(\S+)", line).group(1)
                lin = re.search(r"lineage=(.*)$", line.rstrip("\n")).group(1)
                t[rid] = (kind, ranks_of(lin))
    return t

RANKS = "dpcofgs"

def ranks_of(lineage):
    """'d__X;...;g__Y;s__Z' -> [X, ..., Y, Z] (7 entries, '' where absent)."""
    out = [""] * 7
    for part in lineage.split(";"):
        if len(part) > 3 and part[1:3] == "__" and part[0] in RANKS:
            out[RANKS.index(part[0])] = part[3:]
    return out

def community_calls(tool, path, refs):
    """read id -> (lineage list, status, confidence)."""
    out = {}
    op = gzip.open if path.endswith(".gz") else open
    with op(path, "rt") as f:
        for line in f:
            p = line.rstrip("\n").split("\t")
            rid = p[0].split()[0]
            if tool == "zonula":
                if rid == "read_id":
                    continue
                out[rid] = (ranks_of(p[2]), p[1], float(p[4]))
            elif tool == "blast6":
                out.setdefault(rid, (refs.get(p[1].split(";")[0], [""] * 7), "classified", 1.0))
            elif tool == "paf" and "tp:A:P" in line:
                out.setdefault(rid, (refs.get(p[5], [""] * 7), "classified", 1.0))
    return out

def gold_ranks(train):
    """reference id -> 7 ranks (species from the description, as zonula's gold format)."""
    out = {}
    for h, _ in read_fasta(train):
        lin = lineage_of(h)[:6]
        parts = h.split("\t")
        desc = parts[0].split(None, 1)[1] if " " in parts[0] else parts[1] if len(parts) > 2 else ""
        words = desc.split(";")[0].split()[:2]
        sp = ""
        if len(words) == 2 and lin[5] and words[0] != "Candidatus" and words[0][:1].isupper():
            ep = words[1].strip(",.")
            if ep[:1].islower() and ep not in ("sp", "bacterium", "cf", "genomosp", "endosymbiont", "str", "strain"):
                sp = words[0] + " " + ep
        out[h.split()[0]] = lin + [sp]
    return out

def bray_curtis(a, b):
    keys = set(a) | set(b)
    num = sum(abs(a.get(k, 0) - b.get(k, 0)) for k in keys)
    den = sum(a.get(k, 0) + b.get(k, 0) for k in keys)
    return num / den if den else 0.0

def normalise(c):
    tot = sum(c.values())
    return {k: v / tot for k, v in c.items()} if tot else {}

def abundance_genera(path):
    prof = {}
    with open(path) as f:
        for line in f:
            p = line.rstrip("\n").split("\t")
            if p[0] == "genus" and p[1] != "unclassified":
                prof[p[1]] = float(p[3])
    return prof

CAL_EDGES = [0.0, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99, 0.999, 1.0001]

def community(tool, reads, path, train, abundance=None):
    import json
    refs = gold_ranks(train)
    db_genera = {r[5] for r in refs.values()}
    db_species = {r[6] for r in refs.values() if r[6]}
    t = community_truth(reads)
    called = community_calls(tool, path, refs)
    truth_g, est_g = {}, {}
    ok = wrong = n_present = novel = novel_genus = chim = chim_genus = 0
    sp_ok = sp_calls = sp_group = 0
    bins = [[0, 0.0, 0] for _ in CAL_EDGES[:-1]]
    for rid, (kind, tr) in t.items():
        lin, status, conf = called.get(rid, ([""] * 7, "unclassified", 0.0))
        g = lin[5]
        if kind == "chimera":
            chim += 1
            chim_genus += bool(g)
            continue
        if kind == "16S" and tr[5] not in db_genera:
            novel += 1
            novel_genus += bool(g)
        elif kind == "16S":
            n_present += 1
            truth_g[tr[5]] = truth_g.get(tr[5], 0) + 1
            if g:
                ok += g == tr[5]
                wrong += g != tr[5]
        if g:
            est_g[g] = est_g.get(g, 0) + 1
        if kind == "16S" and lin[6]:
            members = lin[6].split(" / ")
            if len(members) > 1:
                sp_group += 1
                sp_ok += tr[6] in members
            else:
                sp_calls += 1
                sp_ok += lin[6] == tr[6]
        if tool == "zonula" and status == "classified":
            depth = max(i for i in range(7) if lin[i])
            right = kind != "junk" and all(lin[i] == tr[i] or (i == 6 and tr[i] in lin[i].split(" / ")) for i in range(depth + 1))
            b = next(i for i in range(len(CAL_EDGES) - 1) if conf < CAL_EDGES[i + 1])
            bins[b][0] += 1
            bins[b][1] += conf
            bins[b][2] += right
    if abundance:
        est_g = abundance_genera(abundance)
    truth_p, est_p = normalise(truth_g), normalise(est_g)
    rel = {g: (est_p.get(g, 0) - v) / v for g, v in sorted(truth_p.items()) if v >= 0.01}
    n_cal = sum(b[0] for b in bins)
    ece = sum(abs(b[2] - b[1]) for b in bins) / n_cal if n_cal else None
    r = lambda a, b: round(a / b, 4) if b else None
    print(json.dumps({
        "tool": tool, "genus_bc": round(bray_curtis(truth_p, est_p), 4),
        "genera_off": sorted(g for g, e in rel.items() if e < -0.5 or e > 1.0),
        "max_rel_err": round(max((abs(e) for e in rel.values()), default=0), 3),
        "rel_err": {g: round(e, 3) for g, e in rel.items()},
        "recall": r(ok, n_present), "precision": r(ok, ok + wrong),
        "novel_reads": novel, "novel_given_genus": r(novel_genus, novel),
        "chimeras_given_genus": r(chim_genus, chim),
        "species_precision": r(sp_ok, sp_calls + sp_group), "species_calls": sp_calls, "species_group_calls": sp_group,
        "species_absent_from_db": sorted({tr[6] for k, tr in t.values() if k == "16S" and tr[6] and tr[6] not in db_species}),
        "ece": round(ece, 4) if ece is not None else None,
        "calibration": [[CAL_EDGES[i], b[0], round(b[1] / b[0], 4), round(b[2] / b[0], 4)] for i, b in enumerate(bins) if b[0]],
    }))

def calibration(path):
    """zonula's calibration over every set of scores.jsonl: per confidence
    bin the reads called, their mean confidence and the share right, and the
    expected calibration error over all of them."""
    import json
    bins = {}
    for line in open(path):
        j = json.loads(line)
        for lo, n, conf, acc in j.get("calibration") or []:
            b = bins.setdefault(lo, [0, 0.0, 0.0])
            b[0] += n
            b[1] += n * conf
            b[2] += n * acc
    total = sum(b[0] for b in bins.values())
    print("| confidence from | reads | mean confidence | share right |")
    print("|---|---|---|---|")
    for lo in sorted(bins):
        n, c, a = bins[lo]
        print(f"| {lo:g} | {n} | {c / n:.4f} | {a / n:.4f} |")
    print(f"expected calibration error: {sum(abs(b[2] - b[1]) for b in bins.values()) / total:.4f} over {total} reads")

def table(path):
    """Markdown table of scores.jsonl: one row per community, platform and
    tool; the draws' values joined by '/'."""
    import json
    rows = {}
    for line in open(path):
        j = json.loads(line)
        rows.setdefault((j["community"], j["platform"], j["tool"]), []).append(j)
    names = {"zonula": "zonula", "paf": "minimap2", "blast6": "vsearch"}
    cols = ["genus_bc", "genera_off", "recall", "precision", "novel_given_genus", "chimeras_given_genus", "species_precision", "ece", "cpu_s"]
    print("| community | platform | tool | " + " | ".join(cols) + " |")
    print("|" + "---|" * (len(cols) + 3))
    fmt = lambda v: "-" if v is None else ",".join(v) or "none" if isinstance(v, list) else f"{v:g}"
    for (c, p, t), js in rows.items():
        print(f"| {c} | {p} | {names.get(t, t)} | " + " | ".join("/".join(fmt(j[k]) for j in js) for k in cols) + " |")

if __name__ == "__main__":
    if sys.argv[1] == "split":
        split(sys.argv[2], sys.argv[3])
    elif sys.argv[1] == "score":
        tool, reads, path, train, label = sys.argv[2:7]
        print("\t".join(map(str, score(tool, reads, path, train, label))))
    elif sys.argv[1] == "loo":
        loo(*sys.argv[2:6])
    elif sys.argv[1] == "calibration":
        calibration(sys.argv[2])
    elif sys.argv[1] == "table":
        table(sys.argv[2])
    elif sys.argv[1] == "community":
        community(*sys.argv[2:8])
