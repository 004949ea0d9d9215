"""Simulated genus tables for the cohort differential-abundance tests.

Writes, under testdata/cohort/ (run from the repository root with Debian's
/usr/bin/python3 and python3-numpy; seeded, so a rerun gives the same bytes):

  diet/genus.tsv      taxa-as-rows counts ("#OTU ID", one column per sample,
                      a Greengenes "taxonomy" column) of a crossover diet study
                      shaped like the one issue 15 describes: 10 subjects on a
                      plant-based and an animal-based diet, 19 samples (subject
                      P10 has no animal-diet sample), about 60 gut genera with
                      strong differences between people, and 22 genera seen in
                      one or two samples only (kit and skin contaminants with
                      1-3 reads). The animal-based diet multiplies Bilophila by
                      5, Alistipes by 2.5 and Bacteroides by 1.8 and divides
                      Roseburia by 3, Ruminococcus by 2.5 and Agathobacter
                      (Eubacterium rectale) by 2.5 (David et al. 2014 report
                      these directions). Every other genus has no diet effect.
  diet/groups.tsv     sample, group (plant/animal) and subject.
  ibd/genus.tsv       three groups of 8 unrelated people (control, crohns,
                      colitis) with Faecalibacterium divided by 4 and
                      Escherichia multiplied by 6 in crohns, Roseburia divided
                      by 2.5 in colitis; the same contaminants.
  ibd/groups.tsv      sample, group.

Model: a genus's log share in a sample is its log baseline (mean log share
across people) + a person effect (normal, sd 1.0) + the group effect +
sample noise (normal, sd 0.35); shares are normalised and reads drawn from
a multinomial at a depth between 6,000 and 30,000.
"""
import os
import sys

import numpy as np

# genus, lineage above the genus, baseline mean share (percent)
GENERA = [
    ("Bacteroides", "Bacteroidetes;Bacteroidia;Bacteroidales;Bacteroidaceae", 18.0),
    ("Prevotella", "Bacteroidetes;Bacteroidia;Bacteroidales;Prevotellaceae", 4.0),
    ("Alistipes", "Bacteroidetes;Bacteroidia;Bacteroidales;Rikenellaceae", 3.0),
    ("Parabacteroides", "Bacteroidetes;Bacteroidia;Bacteroidales;Tannerellaceae", 1.8),
    ("Barnesiella", "Bacteroidetes;Bacteroidia;Bacteroidales;Barnesiellaceae", 0.9),
    ("Odoribacter", "Bacteroidetes;Bacteroidia;Bacteroidales;Odoribacteraceae", 0.5),
    ("Butyricimonas", "Bacteroidetes;Bacteroidia;Bacteroidales;Odoribacteraceae", 0.25),
    ("Paraprevotella", "Bacteroidetes;Bacteroidia;Bacteroidales;Prevotellaceae", 0.3),
    ("Faecalibacterium", "Firmicutes;Clostridia;Eubacteriales;Oscillospiraceae", 9.0),
    ("Roseburia", "Firmicutes;Clostridia;Eubacteriales;Lachnospiraceae", 3.5),
    ("Agathobacter", "Firmicutes;Clostridia;Eubacteriales;Lachnospiraceae", 3.0),
    ("Ruminococcus", "Firmicutes;Clostridia;Eubacteriales;Oscillospiraceae", 3.0),
    ("Blautia", "Firmicutes;Clostridia;Eubacteriales;Lachnospiraceae", 4.0),
    ("Subdoligranulum", "Firmicutes;Clostridia;Eubacteriales;Oscillospiraceae", 2.5),
    ("Coprococcus", "Firmicutes;Clostridia;Eubacteriales;Lachnospiraceae", 1.5),
    ("Dorea", "Firmicutes;Clostridia;Eubacteriales;Lachnospiraceae", 1.0),
    ("Anaerostipes", "Firmicutes;Clostridia;Eubacteriales;Lachnospiraceae", 0.8),
    ("Fusicatenibacter", "Firmicutes;Clostridia;Eubacteriales;Lachnospiraceae", 1.2),
    ("Lachnospira", "Firmicutes;Clostridia;Eubacteriales;Lachnospiraceae", 0.9),
    ("Eubacterium", "Firmicutes;Clostridia;Eubacteriales;Eubacteriaceae", 1.5),
    ("Oscillibacter", "Firmicutes;Clostridia;Eubacteriales;Oscillospiraceae", 0.7),
    ("Ruminiclostridium", "Firmicutes;Clostridia;Eubacteriales;Oscillospiraceae", 0.4),
    ("Butyricicoccus", "Firmicutes;Clostridia;Eubacteriales;Butyricicoccaceae", 0.5),
    ("Clostridium", "Firmicutes;Clostridia;Eubacteriales;Clostridiaceae", 0.8),
    ("Romboutsia", "Firmicutes;Clostridia;Eubacteriales;Peptostreptococcaceae", 0.6),
    ("Intestinibacter", "Firmicutes;Clostridia;Eubacteriales;Peptostreptococcaceae", 0.3),
    ("Flavonifractor", "Firmicutes;Clostridia;Eubacteriales;Oscillospiraceae", 0.25),
    ("Intestinimonas", "Firmicutes;Clostridia;Eubacteriales;Oscillospiraceae", 0.2),
    ("Lachnoclostridium", "Firmicutes;Clostridia;Eubacteriales;Lachnospiraceae", 0.6),
    ("Tyzzerella", "Firmicutes;Clostridia;Eubacteriales;Lachnospiraceae", 0.2),
    ("Holdemania", "Firmicutes;Erysipelotrichia;Erysipelotrichales;Erysipelotrichaceae", 0.1),
    ("Holdemanella", "Firmicutes;Erysipelotrichia;Erysipelotrichales;Erysipelotrichaceae", 0.4),
    ("Turicibacter", "Firmicutes;Erysipelotrichia;Erysipelotrichales;Erysipelotrichaceae", 0.2),
    ("Catenibacterium", "Firmicutes;Erysipelotrichia;Erysipelotrichales;Erysipelotrichaceae", 0.15),
    ("Streptococcus", "Firmicutes;Bacilli;Lactobacillales;Streptococcaceae", 0.6),
    ("Lactobacillus", "Firmicutes;Bacilli;Lactobacillales;Lactobacillaceae", 0.1),
    ("Veillonella", "Firmicutes;Negativicutes;Veillonellales;Veillonellaceae", 0.2),
    ("Dialister", "Firmicutes;Negativicutes;Veillonellales;Veillonellaceae", 0.9),
    ("Phascolarctobacterium", "Firmicutes;Negativicutes;Acidaminococcales;Acidaminococcaceae", 1.0),
    ("Megasphaera", "Firmicutes;Negativicutes;Veillonellales;Veillonellaceae", 0.15),
    ("Christensenella", "Firmicutes;Clostridia;Eubacteriales;Christensenellaceae", 0.3),
    ("Bifidobacterium", "Actinobacteria;Actinomycetia;Bifidobacteriales;Bifidobacteriaceae", 2.5),
    ("Collinsella", "Actinobacteria;Coriobacteriia;Coriobacteriales;Coriobacteriaceae", 1.0),
    ("Eggerthella", "Actinobacteria;Coriobacteriia;Eggerthellales;Eggerthellaceae", 0.1),
    ("Adlercreutzia", "Actinobacteria;Coriobacteriia;Eggerthellales;Eggerthellaceae", 0.1),
    ("Slackia", "Actinobacteria;Coriobacteriia;Eggerthellales;Eggerthellaceae", 0.05),
    ("Akkermansia", "Verrucomicrobia;Verrucomicrobiae;Verrucomicrobiales;Akkermansiaceae", 1.5),
    ("Escherichia", "Proteobacteria;Gammaproteobacteria;Enterobacterales;Enterobacteriaceae", 0.6),
    ("Klebsiella", "Proteobacteria;Gammaproteobacteria;Enterobacterales;Enterobacteriaceae", 0.08),
    ("Haemophilus", "Proteobacteria;Gammaproteobacteria;Pasteurellales;Pasteurellaceae", 0.1),
    ("Sutterella", "Proteobacteria;Betaproteobacteria;Burkholderiales;Sutterellaceae", 0.6),
    ("Parasutterella", "Proteobacteria;Betaproteobacteria;Burkholderiales;Sutterellaceae", 0.3),
    ("Bilophila", "Proteobacteria;Deltaproteobacteria;Desulfovibrionales;Desulfovibrionaceae", 0.25),
    ("Desulfovibrio", "Proteobacteria;Deltaproteobacteria;Desulfovibrionales;Desulfovibrionaceae", 0.15),
    ("Methanobrevibacter", "Euryarchaeota;Methanobacteria;Methanobacteriales;Methanobacteriaceae", 0.3),
    ("Victivallis", "Lentisphaerae;Lentisphaeria;Victivallales;Victivallaceae", 0.03),
    ("Oxalobacter", "Proteobacteria;Betaproteobacteria;Burkholderiales;Oxalobacteraceae", 0.04),
    ("Acidaminococcus", "Firmicutes;Negativicutes;Acidaminococcales;Acidaminococcaceae", 0.1),
    ("Erysipelatoclostridium", "Firmicutes;Erysipelotrichia;Erysipelotrichales;Erysipelotrichaceae", 0.2),
    ("Hungatella", "Firmicutes;Clostridia;Eubacteriales;Lachnospiraceae", 0.08),
]

# Kit, reagent and skin genera seen in one or two samples with 1-3 reads.
CONTAMINANTS = [
    ("Enhydrobacter", "Proteobacteria;Gammaproteobacteria;Pseudomonadales;Moraxellaceae"),
    ("Meiothermus", "Deinococcus-Thermus;Deinococci;Thermales;Thermaceae"),
    ("Ralstonia", "Proteobacteria;Betaproteobacteria;Burkholderiales;Burkholderiaceae"),
    ("Bradyrhizobium", "Proteobacteria;Alphaproteobacteria;Hyphomicrobiales;Nitrobacteraceae"),
    ("Sphingomonas", "Proteobacteria;Alphaproteobacteria;Sphingomonadales;Sphingomonadaceae"),
    ("Methylobacterium", "Proteobacteria;Alphaproteobacteria;Hyphomicrobiales;Methylobacteriaceae"),
    ("Cutibacterium", "Actinobacteria;Actinomycetia;Propionibacteriales;Propionibacteriaceae"),
    ("Corynebacterium", "Actinobacteria;Actinomycetia;Mycobacteriales;Corynebacteriaceae"),
    ("Staphylococcus", "Firmicutes;Bacilli;Bacillales;Staphylococcaceae"),
    ("Micrococcus", "Actinobacteria;Actinomycetia;Micrococcales;Micrococcaceae"),
    ("Pseudomonas", "Proteobacteria;Gammaproteobacteria;Pseudomonadales;Pseudomonadaceae"),
    ("Acinetobacter", "Proteobacteria;Gammaproteobacteria;Pseudomonadales;Moraxellaceae"),
    ("Delftia", "Proteobacteria;Betaproteobacteria;Burkholderiales;Comamonadaceae"),
    ("Stenotrophomonas", "Proteobacteria;Gammaproteobacteria;Xanthomonadales;Xanthomonadaceae"),
    ("Herbaspirillum", "Proteobacteria;Betaproteobacteria;Burkholderiales;Oxalobacteraceae"),
    ("Caulobacter", "Proteobacteria;Alphaproteobacteria;Caulobacterales;Caulobacteraceae"),
    ("Thermus", "Deinococcus-Thermus;Deinococci;Thermales;Thermaceae"),
    ("Deinococcus", "Deinococcus-Thermus;Deinococci;Deinococcales;Deinococcaceae"),
    ("Brevundimonas", "Proteobacteria;Alphaproteobacteria;Caulobacterales;Caulobacteraceae"),
    ("Rhodococcus", "Actinobacteria;Actinomycetia;Mycobacteriales;Nocardiaceae"),
    ("Kocuria", "Actinobacteria;Actinomycetia;Micrococcales;Micrococcaceae"),
    ("Anoxybacillus", "Firmicutes;Bacilli;Bacillales;Anoxybacillaceae"),
]

PERSON_SD, NOISE_SD = 1.0, 0.35


def lineage(genus, above):
    ranks = ["p", "c", "o", "f"]
    parts = ["k__Bacteria"] + ["%s__%s" % (r, n) for r, n in zip(ranks, above.split(";"))]
    if above.startswith("Euryarchaeota"):
        parts[0] = "k__Archaea"
    return "; ".join(parts + ["g__" + genus])


def draw(rng, people, plan, effects):
    """plan: list of (sample, person index, group); returns counts[genus][sample]."""
    base = np.log([g[2] / 100 for g in GENERA])
    counts = {}
    samples = [s for s, _, _ in plan]
    table = np.zeros((len(GENERA) + len(CONTAMINANTS), len(plan)), dtype=int)
    for j, (s, person, group) in enumerate(plan):
        logs = base + people[person] + rng.normal(0, NOISE_SD, len(GENERA))
        for i, g in enumerate(GENERA):
            logs[i] += np.log(effects.get((group, g[0]), 1.0))
        p = np.exp(logs)
        p /= p.sum()
        depth = int(rng.integers(6000, 30001))
        table[: len(GENERA), j] = rng.multinomial(depth, p)
    # Contaminants: each in one or two random samples, 1-3 reads.
    for i in range(len(CONTAMINANTS)):
        for j in rng.choice(len(plan), size=int(rng.integers(1, 3)), replace=False):
            table[len(GENERA) + i, j] = int(rng.integers(1, 4))
    return samples, table


def write(outdir, samples, table, groups, subjects=None):
    os.makedirs(outdir, exist_ok=True)
    names = GENERA + [(g, a, 0) for g, a in CONTAMINANTS]
    with open(os.path.join(outdir, "genus.tsv"), "w") as f:
        f.write("#OTU ID\t" + "\t".join(samples) + "\ttaxonomy\n")
        for i, (g, above, _) in enumerate(names):
            f.write(g + "\t" + "\t".join(str(v) for v in table[i]) + "\t" + lineage(g, above) + "\n")
    with open(os.path.join(outdir, "groups.tsv"), "w") as f:
        f.write("sample\tgroup" + ("\tsubject" if subjects else "") + "\n")
        for k, s in enumerate(samples):
            f.write(s + "\t" + groups[k] + ("\t" + subjects[k] if subjects else "") + "\n")


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else "testdata/cohort"
    rng = np.random.default_rng(20261215)
    people = [rng.normal(0, PERSON_SD, len(GENERA)) for _ in range(10)]
    effects = {("animal", "Bilophila"): 5.0, ("animal", "Alistipes"): 2.5, ("animal", "Bacteroides"): 1.8,
               ("animal", "Roseburia"): 1 / 3, ("animal", "Ruminococcus"): 1 / 2.5, ("animal", "Agathobacter"): 1 / 2.5}
    plan = []
    for p in range(10):
        plan.append(("P%02d-plant" % (p + 1), p, "plant"))
        if p != 9:
            plan.append(("P%02d-animal" % (p + 1), p, "animal"))
    samples, table = draw(rng, people, plan, effects)
    write(os.path.join(root, "diet"), samples, table, [g for _, _, g in plan], [s.split("-")[0] for s, _, _ in plan])

    people = [rng.normal(0, PERSON_SD, len(GENERA)) for _ in range(24)]
    effects = {("crohns", "Faecalibacterium"): 1 / 4, ("crohns", "Escherichia"): 6.0, ("colitis", "Roseburia"): 1 / 2.5}
    plan = [("%s%02d" % (g[:3].upper(), i + 1), 8 * k + i, g) for k, g in enumerate(["control", "crohns", "colitis"]) for i in range(8)]
    samples, table = draw(rng, people, plan, effects)
    write(os.path.join(root, "ibd"), samples, table, [g for _, _, g in plan])


if __name__ == "__main__":
    main()
