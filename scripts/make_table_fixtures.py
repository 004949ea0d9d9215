#!/usr/bin/python3
"""Writes the BIOM, qza and HDF5 test fixtures of pipeline/tables with
Debian's python3-biom-format (2.1.12) and python3-h5py (3.7.0).
Called by scripts/make-table-fixtures.sh; see testdata/tables/README."""
import io, json, os, sys, zipfile

import biom
import h5py
import numpy as np

out = sys.argv[1]
h5out = sys.argv[2]

ids = ["ASV1", "ASV2", "ASV3", "ASV4", "ASV5"]
samples = ["S1", "S2", "S3"]
counts = np.array([[120, 0, 30], [80, 200, 0], [0, 15, 45], [5, 0, 300], [10, 3, 0]])
tax = [
    "k__Bacteria; p__Firmicutes; c__Clostridia; o__Clostridiales; f__Ruminococcaceae; g__Faecalibacterium; s__prausnitzii",
    "k__Bacteria; p__Bacteroidetes; c__Bacteroidia; o__Bacteroidales; f__Bacteroidaceae; g__Bacteroides; s__",
    "k__Bacteria; p__Firmicutes; c__Clostridia; o__Clostridiales; f__Lachnospiraceae; g__Roseburia; s__",
    "k__Bacteria; p__Proteobacteria; c__Gammaproteobacteria; o__Enterobacteriales; f__Enterobacteriaceae; g__Escherichia; s__coli",
    "Unassigned",
]
md = [{"taxonomy": t.split("; ")} for t in tax]
table = biom.Table(counts, ids, samples, observation_metadata=md, table_id="zonula fixture")
plain = biom.Table(counts, ids, samples, table_id="zonula fixture")


def h5(t, path):
    with h5py.File(path, "w") as f:
        t.to_hdf5(f, "make_table_fixtures.py")


h5(table, os.path.join(out, "biom21-taxonomy.biom"))
# Bad BIOM 2.1 tables: a negative count; a sample whose counts are all zero.
neg = counts.copy()
neg[1, 2] = -4
h5(biom.Table(neg, ids, samples), os.path.join(out, "bad-negative.biom"))
zero = counts.copy()
zero[:, 1] = 0
h5(biom.Table(zero, ids, samples), os.path.join(out, "bad-emptysample.biom"))
with open(os.path.join(out, "biom10-sparse.biom"), "w") as f:
    f.write(table.to_json("make_table_fixtures.py"))
# Dense BIOM 1.0 (QIIME 1 wrote these): the same table with a dense matrix.
doc = json.loads(table.to_json("make_table_fixtures.py"))
doc["matrix_type"] = "dense"
doc["data"] = counts.tolist()
with open(os.path.join(out, "biom10-dense.biom"), "w") as f:
    json.dump(doc, f)

# QIIME 2 artifacts: a zip with <uuid>/data/<file>, metadata.yaml, VERSION
# (layout as QIIME 2 2023.x writes them; QIIME 2 is not in Debian).
def qza(path, uuid, typ, fmt, name, data, extra=()):
    def put(z, n, d):  # fixed timestamps: the same bytes on every run
        z.writestr(zipfile.ZipInfo(n, date_time=(2023, 5, 1, 0, 0, 0)), d, zipfile.ZIP_DEFLATED)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        put(z, f"{uuid}/VERSION", "QIIME 2\narchive: 5\nframework: 2023.5.1\n")
        put(z, f"{uuid}/metadata.yaml", f"uuid: {uuid}\ntype: {typ}\nformat: {fmt}\n")
        put(z, f"{uuid}/data/{name}", data)
        for n, d in extra:
            put(z, n, d)

buf = io.BytesIO()
with h5py.File(buf, "w") as f:
    plain.to_hdf5(f, "qiime2 (fixture)")
qza(os.path.join(out, "table.qza"), "5e6b1d8a-3c1f-4c1e-9a55-0f6f0c1d2e01", "FeatureTable[Frequency]",
    "BIOMV210DirFmt", "feature-table.biom", buf.getvalue())
taxtsv = "Feature ID\tTaxon\tConfidence\n" + "".join(f"{i}\t{t}\t0.99\n" for i, t in zip(ids, tax))
qza(os.path.join(out, "taxonomy.qza"), "7a1c2b3d-4e5f-4a6b-8c7d-9e0f1a2b3c04", "FeatureData[Taxonomy]",
    "TSVTaxonomyDirectoryFormat", "taxonomy.tsv", taxtsv)
# Bad artifacts: a member escaping the archive, a member that inflates
# far beyond its size on disk, a CRC that does not match.
qza(os.path.join(out, "bad-zipslip.qza"), "0a0a", "FeatureTable[Frequency]", "BIOMV210DirFmt",
    "feature-table.biom", buf.getvalue(), extra=[("../../evil.txt", "x")])
qza(os.path.join(out, "bad-huge.qza"), "0b0b", "FeatureTable[Frequency]", "BIOMV210DirFmt",
    "feature-table.biom", b"\0" * (8 << 20))
qza(os.path.join(out, "bad-crc.qza"), "0c0c", "FeatureTable[Frequency]", "BIOMV210DirFmt",
    "feature-table.biom", buf.getvalue())
with open(os.path.join(out, "bad-crc.qza"), "r+b") as f:
    data = bytearray(f.read())
    # Flip a byte of the stored CRC-32 of the data member in its local header.
    i = data.index(b"0c0c/data/feature-table.biom") - 30
    assert data[i:i + 4] == b"PK\x03\x04"
    data[i + 14] ^= 0xFF
    # and in the central directory
    j = data.index(b"0c0c/data/feature-table.biom", i + 31) - 46
    assert data[j:j + 4] == b"PK\x01\x02"
    data[j + 16] ^= 0xFF
    f.seek(0)
    f.write(data)


# HDF5 feature files for pipeline/tables/internal/hdf5.
def feat(path, libver):
    with h5py.File(path, "w", libver=libver) as f:
        f.create_group("grp/sub")
        f.create_dataset(track_times=False, name="contig", data=np.arange(10, dtype="<i4"))
        f.create_dataset(track_times=False, name="compact_be", data=np.array([-3, 7, 300], dtype=">i2"))
        a = np.arange(7 * 5, dtype="f8").reshape(7, 5) * 1.5
        f.create_dataset(track_times=False, name="grp/chunked2d", data=a, chunks=(3, 2), compression="gzip", shuffle=True, fletcher32=True)
        f.create_dataset(track_times=False, name="grp/f32", data=np.array([0.5, 2.25], dtype="f4"), chunks=(1,), compression="gzip")
        f.create_dataset(track_times=False, name="grp/sub/fixed", data=np.array([b"ab", b"cde", b""], dtype="S4"))
        f.create_dataset(track_times=False, name="grp/sub/vlen", data=np.array(["x", "Faecalibacterium prausnitzii", "\u00e9"], dtype=object),
                         dtype=h5py.string_dtype())
        f.create_dataset(track_times=False, name="empty", data=np.zeros((0,), dtype="u8"))


feat(os.path.join(h5out, "feat-earliest.h5"), "earliest")
feat(os.path.join(h5out, "feat-latest.h5"), "latest")


# Formats whose tools are not in Debian, written here to their documented
# layouts (see testdata/tables/README for the sources).
def write(name, text):
    with open(os.path.join(out, name), "w", newline="") as f:
        f.write(text)


# Kraken2 report (kraken2 --report; printf "%6.2f\t%lu\t%lu\t%s\t%lu\t%s%s\n").
# (depth, rank code, taxid, name, reads assigned directly)
kr = [
    (0, "U", 0, "unclassified", 10),
    (0, "R", 1, "root", 0),
    (1, "R1", 131567, "cellular organisms", 0),
    (2, "D", 2, "Bacteria", 2),
    (3, "K", 1783272, "Bacillati", 0),
    (4, "P", 1239, "Bacillota", 0),
    (5, "C", 186801, "Clostridia", 0),
    (6, "O", 186802, "Eubacteriales", 0),
    (7, "F", 216572, "Oscillospiraceae", 0),
    (8, "G", 216851, "Faecalibacterium", 3),
    (9, "S", 853, "Faecalibacterium prausnitzii", 97),
    (10, "S1", 411483, "Faecalibacterium prausnitzii A2-165", 20),
    (3, "K", 3379134, "Pseudomonadati", 0),
    (4, "K1", 1783270, "FCB group", 0),
    (5, "P", 976, "Bacteroidota", 0),
    (6, "C", 200643, "Bacteroidia", 0),
    (7, "O", 171549, "Bacteroidales", 0),
    (8, "F", 815, "Bacteroidaceae", 0),
    (9, "G", 816, "Bacteroides", 20),
    (10, "S", 817, "Bacteroides fragilis", 60),
    (4, "P", 1224, "Pseudomonadota", 0),
    (5, "C", 1236, "Gammaproteobacteria", 0),
    (6, "O", 91347, "Enterobacterales", 0),
    (7, "F", 543, "Enterobacteriaceae", 0),
    (8, "G", 561, "Escherichia", 0),
    (9, "S", 562, "Escherichia coli", 5),
]
total = sum(r[4] for r in kr)
def clade(i):
    d = kr[i][0]
    n = kr[i][4]
    for j in range(i + 1, len(kr)):
        if kr[j][0] <= d or kr[i][1] == "U":
            break
        n += kr[j][4]
    return n
lines, lines8 = [], []
for i, (d, code, taxid, name, direct) in enumerate(kr):
    c = clade(i)
    lines.append("%6.2f\t%d\t%d\t%s\t%d\t%s%s\n" % (100.0 * c / total, c, direct, code, taxid, "  " * d, name))
    lines8.append("%6.2f\t%d\t%d\t%d\t%d\t%s\t%d\t%s%s\n" % (100.0 * c / total, c, direct, 40 * c, 11 * c, code, taxid, "  " * d, name))
write("S1.kreport", "".join(lines))
write("S1-minimizers.kreport", "".join(lines8))
# Bracken species output (bracken -l S): genus reads of Bacteroides (20)
# and Faecalibacterium (3) redistributed to their species.
br = [("Faecalibacterium prausnitzii", 853, 117, 3), ("Bacteroides fragilis", 817, 60, 20), ("Escherichia coli", 562, 5, 0)]
tot = sum(a + b for _, _, a, b in br)
write("S1.bracken", "name\ttaxonomy_id\ttaxonomy_lvl\tkraken_assigned_reads\tadded_reads\tnew_est_reads\tfraction_total_reads\n" +
      "".join("%s\t%d\tS\t%d\t%d\t%d\t%.5f\n" % (n, t, a, b, a + b, (a + b) / tot) for n, t, a, b in br))

# Emu (emu abundance --keep-counts): columns from Emu's default database.
emu_cols = ["tax_id", "abundance", "species", "genus", "family", "order", "class", "phylum", "clade",
            "superkingdom", "subspecies", "species subgroup", "species group", "estimated counts"]
emu = [
    (853, 120, ["Faecalibacterium prausnitzii", "Faecalibacterium", "Oscillospiraceae", "Eubacteriales", "Clostridia", "Firmicutes", "", "Bacteria", "", "", ""]),
    (817, 80, ["Bacteroides fragilis", "Bacteroides", "Bacteroidaceae", "Bacteroidales", "Bacteroidia", "Bacteroidetes", "FCB group", "Bacteria", "", "", "Bacteroides fragilis group"]),
    (562, 5, ["Escherichia coli", "Escherichia", "Enterobacteriaceae", "Enterobacterales", "Gammaproteobacteria", "Proteobacteria", "", "Bacteria", "", "", ""]),
]
assigned = sum(c for _, c, _ in emu)
rows = ["\t".join(emu_cols)]
for taxid, c, lin in emu:
    rows.append("\t".join([str(taxid), repr(c / assigned)] + lin + [repr(float(c))]))
rows.append("\t".join(["unassigned", "0.0"] + [""] * 11 + ["10.0"]))
write("S1_rel-abundance.tsv", "\n".join(rows) + "\n")
# Without --keep-counts: relative abundances only.
rows = ["\t".join(emu_cols[:-1])]
for taxid, c, lin in emu:
    rows.append("\t".join([str(taxid), repr(c / assigned)] + lin))
write("S2_rel-abundance.tsv", "\n".join(rows) + "\n")

# MetaPhlAn 4 profile (metaphlan -t rel_ab, default), rows by rank.
mpa = [
    ("UNCLASSIFIED", "-1", 5.0),
    ("k__Bacteria", "2", 95.0),
    ("k__Bacteria|p__Firmicutes", "2|1239", 57.0),
    ("k__Bacteria|p__Bacteroidetes", "2|976", 38.0),
    ("k__Bacteria|p__Firmicutes|c__Clostridia", "2|1239|186801", 57.0),
    ("k__Bacteria|p__Bacteroidetes|c__Bacteroidia", "2|976|200643", 38.0),
    ("k__Bacteria|p__Firmicutes|c__Clostridia|o__Eubacteriales", "2|1239|186801|186802", 57.0),
    ("k__Bacteria|p__Bacteroidetes|c__Bacteroidia|o__Bacteroidales", "2|976|200643|171549", 38.0),
    ("k__Bacteria|p__Firmicutes|c__Clostridia|o__Eubacteriales|f__Oscillospiraceae", "2|1239|186801|186802|216572", 57.0),
    ("k__Bacteria|p__Bacteroidetes|c__Bacteroidia|o__Bacteroidales|f__Bacteroidaceae", "2|976|200643|171549|815", 38.0),
    ("k__Bacteria|p__Firmicutes|c__Clostridia|o__Eubacteriales|f__Oscillospiraceae|g__Faecalibacterium", "2|1239|186801|186802|216572|216851", 57.0),
    ("k__Bacteria|p__Bacteroidetes|c__Bacteroidia|o__Bacteroidales|f__Bacteroidaceae|g__Bacteroides", "2|976|200643|171549|815|816", 38.0),
    ("k__Bacteria|p__Firmicutes|c__Clostridia|o__Eubacteriales|f__Oscillospiraceae|g__Faecalibacterium|s__Faecalibacterium_prausnitzii", "2|1239|186801|186802|216572|216851|853", 45.0),
    ("k__Bacteria|p__Bacteroidetes|c__Bacteroidia|o__Bacteroidales|f__Bacteroidaceae|g__Bacteroides|s__Bacteroides_fragilis", "2|976|200643|171549|815|816|817", 38.0),
    ("k__Bacteria|p__Firmicutes|c__Clostridia|o__Eubacteriales|f__Oscillospiraceae|g__Faecalibacterium|s__Faecalibacterium_prausnitzii|t__SGB15316", "2|1239|186801|186802|216572|216851|853|", 45.0),
    ("k__Bacteria|p__Bacteroidetes|c__Bacteroidia|o__Bacteroidales|f__Bacteroidaceae|g__Bacteroides|s__Bacteroides_fragilis|t__SGB1855", "2|976|200643|171549|815|816|817|", 38.0),
]
write("S1_profile.txt", "#mpa_vJun23_CHOCOPhlAnSGB_202403\n#/usr/bin/metaphlan S1.fastq.gz --input_type fastq -o S1_profile.txt\n"
      "#12000 reads processed\n#SampleID\tMetaphlan_Analysis\n#clade_name\tNCBI_tax_id\trelative_abundance\tadditional_species\n" +
      "".join("%s\t%s\t%s\t\n" % (c, t, v) for c, t, v in mpa))
# MetaPhlAn 3 merged table (merge_metaphlan_tables.py) of two samples.
write("merged_abundance_table.txt", "#mpa_v30_CHOCOPhlAn_201901\nclade_name\tNCBI_tax_id\tS1\tS2\n" +
      "".join("%s\t%s\t%s\t%s\n" % (c, t, v, 100.0 if c == "k__Bacteria" else (0.0 if c == "UNCLASSIFIED" else (0.0 if "Bacteroidetes" in c else (100.0 if "Firmicutes" in c else 0.0))))
              for c, t, v in mpa if "t__" not in c))

# mothur: make.shared output and classify.otu's .cons.taxonomy.
write("final.opti_mcc.shared", "label\tGroup\tnumOtus\tOtu001\tOtu002\tOtu003\tOtu004\n"
      "0.03\tF3D0\t4\t120\t80\t0\t5\n0.03\tF3D1\t4\t0\t200\t15\t0\n0.03\tF3D2\t4\t30\t0\t45\t300\n")
write("final.opti_mcc.0.03.cons.taxonomy", "OTU\tSize\tTaxonomy\n"
      "Otu001\t150\tBacteria(100);Firmicutes(100);Clostridia(100);Clostridiales(100);Ruminococcaceae(100);Faecalibacterium(100);\n"
      "Otu002\t280\tBacteria(100);\"Bacteroidetes\"(100);\"Bacteroidia\"(100);\"Bacteroidales\"(100);Bacteroidaceae(100);Bacteroides(100);\n"
      "Otu003\t60\tBacteria(100);Firmicutes(100);Clostridia(100);Clostridiales(100);Lachnospiraceae(100);Lachnospiraceae_unclassified(100);\n"
      "Otu004\t305\tBacteria(100);\"Proteobacteria\"(100);Gammaproteobacteria(100);Enterobacteriales(100);Enterobacteriaceae(100);Escherichia/Shigella(100);\n")

# Samples as rows, CSV, SILVA D_n__ lineages as column names (as a
# phyloseq/pandas export of a genus table would be).
write("samples-as-rows.csv", "SampleID,D_0__Bacteria;D_1__Firmicutes;D_2__Clostridia;D_3__Clostridiales;D_4__Ruminococcaceae;D_5__Faecalibacterium,"
      "D_0__Bacteria;D_1__Bacteroidetes;D_2__Bacteroidia;D_3__Bacteroidales;D_4__Bacteroidaceae;D_5__Bacteroides,Unassigned\r\n"
      "S1,120,80,15\r\nS2,0,200,18\r\nS3,30,0,345\r\n")
