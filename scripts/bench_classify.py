#!/usr/bin/env python3
"""Helpers for scripts/bench-classify.sh (standard library only).

split GOLD OUTDIR   hold out one sequence from each genus with >= 3 sequences
                    (up to 200; heldout.fasta), every 7th genus of <= 4 sequences
                    whose family has other genera (absent.fasta), and write the
                    rest as train.fasta (gold headers) and train.sintax.fasta.
score TOOL READS OUT   print one TSV line of genus-level scores for a tool's
                    per-read output (formats: zonula, sintax, blast6, paf).
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
    t = {}
    op = gzip.open if reads.endswith(".gz") else open
    with op(reads, "rt") as f:
        for n, line in enumerate(f):
            if n % 4 == 0:
                rid = line[1:].split()[0]
                kind = re.search(r"kind=(\S+)", line).group(1)
                m = re.search(r"lineage=(.*)$", line.rstrip("\n"))
                genus = ""
                if m:
                    g = re.search(r"g__([^;]*)", m.group(1))
                    genus = g.group(1) if g else ""
                t[rid] = (kind, genus)
    return t

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

if __name__ == "__main__":
    if sys.argv[1] == "split":
        split(sys.argv[2], sys.argv[3])
    elif sys.argv[1] == "score":
        tool, reads, path, train, label = sys.argv[2:7]
        print("\t".join(map(str, score(tool, reads, path, train, label))))
