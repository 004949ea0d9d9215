"""Helper of scripts/make-wild-table-fixtures.sh: a custom Kraken2 taxonomy
(NCBI-style nodes.dmp and names.dmp) and library FASTA for three reference
sequences of each of eight gut genera of rRNA16S.gold, with "clade" and
"cluster" nodes below Firmicutes and Ruminococcaceae, as GTDB- or
SILVA-derived custom taxonomies have. Library sequences are labelled with
their genus's taxid (">ID|kraken:taxid|N").

Usage: make_kraken_taxonomy.py GOLD.fasta TAXONOMY_DIR LIBRARY.fa
"""
import sys

GENERA = ["Faecalibacterium", "Bacteroides", "Akkermansia", "Escherichia", "Bifidobacterium", "Roseburia", "Prevotella", "Alistipes"]
RANKS = ["superkingdom", "phylum", "class", "order", "family", "genus"]
EXTRA = {("phylum", "Firmicutes"): ("Firmicutes clade A", "clade"),
         ("family", "Ruminococcaceae"): ("Ruminococcaceae cluster IV", "cluster")}


def main():
    gold, taxdir, lib = sys.argv[1:4]
    nodes, names, ids = [(1, 1, "no rank")], [(1, "root")], {}

    def node(path, rank):
        if path not in ids:
            ids[path] = 100 + len(ids)
            nodes.append((ids[path], ids.get(path[:-1], 1), rank))
            names.append((ids[path], path[-1]))
        return ids[path]

    seqs, taken = [], {g: 0 for g in GENERA}
    records, name, lineage, buf = [], None, None, []
    for line in open(gold):
        line = line.rstrip("\n")
        if line.startswith(">"):
            records.append((name, lineage, buf))
            name = line[1:].split()[0]
            lineage = [t.strip() for t in line.split("\t")[-1].split(";")]
            buf = []
        else:
            buf.append(line)
    records.append((name, lineage, buf))
    for name, lineage, buf in records:
        if not name or lineage[-1] not in taken or taken[lineage[-1]] >= 3:
            continue
        taken[lineage[-1]] += 1
        path, tid = (), 1
        for rank, taxon in zip(RANKS, lineage):
            path += (taxon,)
            tid = node(path, rank)
            if (rank, taxon) in EXTRA:
                extra, extra_rank = EXTRA[(rank, taxon)]
                path += (extra,)
                tid = node(path, extra_rank)
        seqs.append(">%s|kraken:taxid|%d\n%s\n" % (name, tid, "".join(buf)))
    with open(taxdir + "/nodes.dmp", "w") as f:
        for t, p, r in nodes:
            f.write("%d\t|\t%d\t|\t%s\t|\n" % (t, p, r))
    with open(taxdir + "/names.dmp", "w") as f:
        for t, n in names:
            f.write("%d\t|\t%s\t|\t\t|\tscientific name\t|\n" % (t, n))
    with open(lib, "w") as f:
        f.write("".join(seqs))


if __name__ == "__main__":
    main()
