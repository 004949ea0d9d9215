#!/usr/bin/env Rscript
# Reference values for pipeline/cohort's test, from the fixture samples in
# testdata/cohort/batch (genus rows of each abundance.tsv): Bray–Curtis on
# genus proportions and PERMANOVA F and R² (vegan vegdist, adonis2). Writes
# testdata/cohort/reference.tsv. (The differential test's statistics are
# checked by scripts/refvalues_da.R.)
# Run from the repository root: Rscript scripts/cohort_ref.R
suppressPackageStartupMessages(library(vegan))
groups <- read.delim("testdata/cohort/groups.tsv", stringsAsFactors = FALSE)
rows <- list()
for (s in groups$sample) {
  t <- read.delim(file.path("testdata/cohort/batch", s, "abundance.tsv"), stringsAsFactors = FALSE)
  g <- t[t$rank == "genus" & t$taxon != "unclassified", ]
  rows[[s]] <- setNames(g$reads, g$taxon)
}
taxa <- sort(unique(unlist(lapply(rows, names))))
x <- t(sapply(rows, function(r) { v <- setNames(rep(0, length(taxa)), taxa); v[names(r)] <- r; v }))
p <- x / rowSums(x)
d <- vegdist(p, "bray")
set.seed(1)
a <- adonis2(d ~ group, data = groups, permutations = 999)
out <- data.frame(key = c("bray_akk1_none1", "permanova_F", "permanova_R2"),
                  value = c(as.matrix(d)["akk1", "none1"], a$F[1], a$R2[1]))
con <- file("testdata/cohort/reference.tsv", "w")
writeLines(sprintf("# vegan %s, %s; scripts/cohort_ref.R", packageVersion("vegan"), R.version.string), con)
write.table(data.frame(key = out$key, value = sprintf("%.17g", out$value)), con, sep = "\t", quote = FALSE, row.names = FALSE)
close(con)
