#!/usr/bin/env python3
"""Write testdata/refdb/: one small reference database per format zonula's
'db build' reads, hand-made from four sequences of rRNA16S.gold.fasta (Debian
microbiomeutil-data, BSD-3; path from scripts/fetch-gold.sh), cut to their
first 240 bases. Headers and taxonomy files follow each format's
documentation (see testdata/refdb/README.md); the lineages are written by hand
in each database's own naming. Run: scripts/make-refdb-fixtures.py "$(scripts/fetch-gold.sh)"
"""
import gzip, os, sys

gold = sys.argv[1]
out = os.path.join(os.path.dirname(__file__), "..", "testdata", "refdb")
want = {"7000004128189873": "akk", "7000004128190436": "bfr", "7000004128537908": "eco", "7000004130259215": "fpr"}
seqs, cur = {}, None
for line in open(gold):
    if line.startswith(">"):
        cur = want.get(line[1:].split()[0])
        if cur:
            seqs[cur] = ""
    elif cur:
        seqs[cur] += line.strip()
seqs = {k: v[:240] for k, v in seqs.items()}
assert len(seqs) == 4, seqs.keys()

def fasta(name, recs, wrap=60, rna=False, opener=open):
    with opener(os.path.join(out, name), "wt") as f:
        for hdr, s in recs:
            if rna:
                s = s.replace("T", "U")
            f.write(">" + hdr + "\n")
            for i in range(0, len(s), wrap):
                f.write(s[i:i + wrap] + "\n")

def text(name, body):
    with open(os.path.join(out, name), "w") as f:
        f.write(body)

# SILVA: ">ACC.start.stop path;organism", RNA letters; one eukaryote (skipped).
fasta("silva.fasta", [
    ("AY271254.1.1512 Bacteria;Verrucomicrobiota;Verrucomicrobiae;Verrucomicrobiales;Akkermansiaceae;Akkermansia;Akkermansia muciniphila", seqs["akk"]),
    ("CR626927.1.1520 Bacteria;Bacteroidota;Bacteroidia;Bacteroidales;Bacteroidaceae;Bacteroides;Bacteroides fragilis NCTC 9343", seqs["bfr"]),
    ("U00096.223771.225312 Bacteria;Proteobacteria;Gammaproteobacteria;Enterobacterales;Enterobacteriaceae;Escherichia-Shigella;Escherichia coli str. K-12", seqs["eco"]),
    ("AJ270469.1.1495 Bacteria;Firmicutes;Clostridia;Oscillospirales;Ruminococcaceae;Faecalibacterium;uncultured bacterium", seqs["fpr"]),
    ("X54512.1.1800 Eukaryota;Amorphea;Obazoa;Opisthokonta;Holozoa;Choanozoa;Metazoa;Animalia;Homo sapiens", seqs["akk"][:120]),
], rna=True)
# SILVA rank file (tax_slv_ssu_138.2.txt layout: path;, taxid, rank, remark, release).
ranks, seen = [], set()
for hdr in open(os.path.join(out, "silva.fasta")):
    if not hdr.startswith(">") or " Eukaryota;" in hdr:
        continue
    levels = hdr.split(" ", 1)[1].strip().split(";")[:-1]
    for i in range(len(levels)):
        path = ";".join(levels[:i + 1])
        if path not in seen:
            seen.add(path)
            ranks.append(f"{path};\t{len(ranks) + 2}\t{['domain', 'phylum', 'class', 'order', 'family', 'genus'][i]}\t\t138\n")
text("silva-ranks.txt", "".join(ranks))

# GTDB ssu_all: ">ACCESSION~CONTIG d__…;s__… [attributes]", gzip-compressed.
fasta("gtdb_ssu.fna.gz", [
    ("GB_GCA_000020225.1~CP001071.1 d__Bacteria;p__Verrucomicrobiota;c__Verrucomicrobiae;o__Verrucomicrobiales;f__Akkermansiaceae;g__Akkermansia;s__Akkermansia muciniphila [location=1..1512] [ssu_len=1512] [contig_len=2664102]", seqs["akk"]),
    ("RS_GCF_000025985.1~NC_003228.3 d__Bacteria;p__Bacteroidota;c__Bacteroidia;o__Bacteroidales;f__Bacteroidaceae;g__Bacteroides;s__Bacteroides fragilis [location=1..1520] [ssu_len=1520] [contig_len=5205140]", seqs["bfr"]),
    ("RS_GCF_000005845.2~NC_000913.3 d__Bacteria;p__Pseudomonadota;c__Gammaproteobacteria;o__Enterobacterales;f__Enterobacteriaceae;g__Escherichia;s__Escherichia coli [location=223771..225312] [ssu_len=1542] [contig_len=4641652]", seqs["eco"]),
    ("RS_GCF_000162015.1~NZ_GG697145.1 d__Bacteria;p__Bacillota_A;c__Clostridia;o__Oscillospirales;f__Ruminococcaceae;g__Faecalibacterium;s__Faecalibacterium prausnitzii_D [location=1..1495] [ssu_len=1495] [contig_len=90000]", seqs["fpr"]),
], opener=gzip.open)
text("gtdb_taxonomy.tsv",
     "GB_GCA_000020225.1\td__Bacteria;p__Verrucomicrobiota;c__Verrucomicrobiae;o__Verrucomicrobiales;f__Akkermansiaceae;g__Akkermansia;s__Akkermansia muciniphila\n"
     "RS_GCF_000025985.1\td__Bacteria;p__Bacteroidota;c__Bacteroidia;o__Bacteroidales;f__Bacteroidaceae;g__Bacteroides;s__Bacteroides fragilis\n"
     "RS_GCF_000005845.2\td__Bacteria;p__Pseudomonadota;c__Gammaproteobacteria;o__Enterobacterales;f__Enterobacteriaceae;g__Escherichia;s__Escherichia coli\n"
     "RS_GCF_000162015.1\td__Bacteria;p__Bacillota_A;c__Clostridia;o__Oscillospirales;f__Ruminococcaceae;g__Faecalibacterium;s__Faecalibacterium prausnitzii_C\n")

# Greengenes2: backbone FASTA (one line per sequence) + "Feature ID<TAB>Taxon".
fasta("gg2.fna", [("G000020225", seqs["akk"]), ("G000025985", seqs["bfr"]), ("G000005845", seqs["eco"]), ("G000162015", seqs["fpr"])], wrap=10000)
text("gg2_taxonomy.tsv",
     "Feature ID\tTaxon\n"
     "G000020225\td__Bacteria; p__Verrucomicrobiota; c__Verrucomicrobiae; o__Verrucomicrobiales; f__Akkermansiaceae; g__Akkermansia; s__Akkermansia muciniphila\n"
     "G000025985\td__Bacteria; p__Bacteroidota; c__Bacteroidia; o__Bacteroidales; f__Bacteroidaceae; g__Bacteroides; s__Bacteroides fragilis\n"
     "G000005845\td__Bacteria; p__Pseudomonadota; c__Gammaproteobacteria; o__Enterobacterales; f__Enterobacteriaceae; g__Escherichia; s__Escherichia coli\n"
     "G000162015\td__Bacteria; p__Firmicutes_A; c__Clostridia; o__Oscillospirales; f__Ruminococcaceae; g__Faecalibacterium; s__\n")

# RDP training set 19: ">ID<TAB>Root;…;Genus"; and the mothur pair (.fasta + .tax).
fasta("rdp_trainset.fa", [
    ("AY271254\tRoot;Bacteria;Verrucomicrobiota;Verrucomicrobiae;Verrucomicrobiales;Akkermansiaceae;Akkermansia", seqs["akk"]),
    ("CR626927\tRoot;Bacteria;Bacteroidota;Bacteroidia;Bacteroidales;Bacteroidaceae;Bacteroides", seqs["bfr"]),
    ("U00096\tRoot;Bacteria;Pseudomonadota;Gammaproteobacteria;Enterobacterales;Enterobacteriaceae;Escherichia/Shigella", seqs["eco"]),
    ("AJ270469\tRoot;Bacteria;Bacillota;Clostridia;Eubacteriales;Oscillospiraceae;Faecalibacterium", seqs["fpr"]),
])
fasta("trainset19.rdp.fasta", [("AY271254", seqs["akk"]), ("CR626927", seqs["bfr"]), ("U00096", seqs["eco"]), ("AJ270469", seqs["fpr"])])
text("trainset19.rdp.tax",
     "AY271254\tBacteria;Verrucomicrobiota;Verrucomicrobiae;Verrucomicrobiales;Akkermansiaceae;Akkermansia;\n"
     "CR626927\tBacteria;Bacteroidota;Bacteroidia;Bacteroidales;Bacteroidaceae;Bacteroides;\n"
     "U00096\tBacteria;Pseudomonadota;Gammaproteobacteria;Enterobacterales;Enterobacteriaceae;Escherichia/Shigella;\n"
     "AJ270469\tBacteria;Bacillota;Clostridia;Eubacteriales;Oscillospiraceae;Oscillospiraceae_unclassified;\n")

# Emu: species_taxid.fasta (">TAXID:emu_db:N …") + taxonomy.tsv; E. coli twice
# (same sequence, two records) to exercise dereplication.
fasta("emu_species_taxid.fasta", [
    ("239935:emu_db:1 NZ_CP015405.2 Akkermansia muciniphila", seqs["akk"]),
    ("817:emu_db:2 NC_003228.3 Bacteroides fragilis", seqs["bfr"]),
    ("562:emu_db:3 NC_000913.3 Escherichia coli", seqs["eco"]),
    ("562:emu_db:4 NC_000913.3 Escherichia coli", seqs["eco"]),
    ("853:emu_db:5 NZ_CP030777.1 Faecalibacterium prausnitzii", seqs["fpr"]),
])
text("emu_taxonomy.tsv",
     "tax_id\tspecies\tgenus\tfamily\torder\tclass\tphylum\tclade\tsuperkingdom\tsubspecies\tspecies subgroup\tspecies group\n"
     "239935\tAkkermansia muciniphila\tAkkermansia\tAkkermansiaceae\tVerrucomicrobiales\tVerrucomicrobiae\tVerrucomicrobiota\t\tBacteria\t\t\t\n"
     "817\tBacteroides fragilis\tBacteroides\tBacteroidaceae\tBacteroidales\tBacteroidia\tBacteroidota\tFCB group\tBacteria\t\t\t\n"
     "562\tEscherichia coli\tEscherichia\tEnterobacteriaceae\tEnterobacterales\tGammaproteobacteria\tPseudomonadota\t\tBacteria\t\t\t\n"
     "853\tFaecalibacterium prausnitzii\tFaecalibacterium\tOscillospiraceae\tEubacteriales\tClostridia\tBacillota\tTerrabacteria group\tBacteria\t\t\t\n")

# SINTAX: ">ID;tax=d:…,p:…,…,s:Genus_species;", then zstd-compressed.
fasta("sintax.fa", [
    ("AY271254;tax=d:Bacteria,p:Verrucomicrobiota,c:Verrucomicrobiae,o:Verrucomicrobiales,f:Akkermansiaceae,g:Akkermansia,s:Akkermansia_muciniphila;", seqs["akk"]),
    ("CR626927;tax=d:Bacteria,p:Bacteroidota,c:Bacteroidia,o:Bacteroidales,f:Bacteroidaceae,g:Bacteroides,s:Bacteroides_fragilis;", seqs["bfr"]),
    ("U00096;tax=d:Bacteria,p:Pseudomonadota,c:Gammaproteobacteria,o:Enterobacterales,f:Enterobacteriaceae,g:Escherichia/Shigella;", seqs["eco"]),
    ("AJ270469;tax=d:Bacteria,p:Bacillota,c:Clostridia,o:Eubacteriales,f:Oscillospiraceae,g:Faecalibacterium,s:Faecalibacterium_prausnitzii;", seqs["fpr"]),
])

import subprocess
subprocess.run(["zstd", "-q", "-19", "--rm", "-f", os.path.join(out, "sintax.fa"), "-o", os.path.join(out, "sintax.fa.zst")], check=True)

# QIIME 2: reference FASTA + taxonomy TSV, Greengenes 13_8 style (k__, bare epithets).
fasta("qiime2_seqs.fasta", [("1111", seqs["akk"]), ("2222", seqs["bfr"]), ("3333", seqs["eco"]), ("4444", seqs["fpr"])], wrap=10000)
text("qiime2_taxonomy.tsv",
     "Feature ID\tTaxon\n"
     "1111\tk__Bacteria; p__Verrucomicrobia; c__Verrucomicrobiae; o__Verrucomicrobiales; f__Verrucomicrobiaceae; g__Akkermansia; s__muciniphila\n"
     "2222\tk__Bacteria; p__Bacteroidetes; c__Bacteroidia; o__Bacteroidales; f__Bacteroidaceae; g__Bacteroides; s__fragilis\n"
     "3333\tk__Bacteria; p__Proteobacteria; c__Gammaproteobacteria; o__Enterobacteriales; f__Enterobacteriaceae; g__Escherichia; s__coli\n"
     "4444\tk__Bacteria; p__Firmicutes; c__Clostridia; o__Clostridiales; f__Ruminococcaceae; g__Faecalibacterium; s__\n")
