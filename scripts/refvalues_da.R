#!/usr/bin/env Rscript
# Reference values for zonula's differential-abundance statistics
# (pipeline/metrics: stattests.go, diffabund.go; pipeline/cohort's filters),
# from R's stats package alone: t.test, wilcox.test, kruskal.test,
# friedman.test and p.adjust, with their default arguments.
#
# Debian has no ALDEx2, so the Monte Carlo part is not compared; its
# deterministic parts are. The script draws Dirichlet instances of two
# fixture tables itself (rgamma(shape = count + 0.5), normalised; seeded) and
# commits them, so that zonula recomputes, from the same instances, the log2
# CLR, every test on every instance, the BH q-values within each instance,
# and the expected (mean over instances) p, q, effects and intervals.
#
# Writes (run from the repository root: Rscript scripts/refvalues_da.R):
#   pipeline/metrics/testdata/da_instances_diet.tsv, da_instances_ibd.tsv
#       instance, sample, then one proportion per genus (%.17g)
#   pipeline/metrics/testdata/refvalues_da.tsv
#       key<TAB>value (%.17g; NA where R gives NA), first line the provenance
# Needs r-base-core (apt-get install -y r-base-core); R 4.2.2 on bookworm.
td <- "pipeline/metrics/testdata"
out <- list()
put <- function(key, v) out[[key]] <<- v

# 1. The tests' conventions on fixed vectors: exact or normal approximation,
# continuity correction, ties, zeros, more than 50 values.
x1 <- c(1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30)
y1 <- c(0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29)
ties_a <- c(1, 2, 2, 3, 3, 3, 5, 8)
ties_b <- c(2, 3, 4, 4, 6, 7, 7, 9, 9)
set.seed(7)
big_a <- round(rnorm(55, 0, 1), 6)
big_b <- round(rnorm(60, 0.4, 1.3), 6)
vectors <- list(x1 = x1, y1 = y1, ties_a = ties_a, ties_b = ties_b, big_a = big_a, big_b = big_b,
                zero_d = c(0, 1.5, -0.3, 2.2, 0.7, 0, -1.1, 3.4), short_a = c(4.2, 5.1), short_b = c(1.3, 0.2, 2.8))
for (n in names(vectors)) put(paste0("vec.", n), vectors[[n]])
tt <- function(key, r) {
  put(paste0(key, ".t"), unname(r$statistic)); put(paste0(key, ".df"), unname(r$parameter))
  put(paste0(key, ".p"), r$p.value); put(paste0(key, ".ci"), as.numeric(r$conf.int))
}
tt("welch.x1_y1", t.test(x1, y1))
tt("welch.big", t.test(big_a, big_b))
tt("paired.x1_y1", t.test(x1, y1, paired = TRUE))
wt <- function(key, r) { put(paste0(key, ".stat"), unname(r$statistic)); put(paste0(key, ".p"), r$p.value) }
suppressWarnings({
  wt("ranksum.x1_y1", wilcox.test(x1, y1))             # ties in y1: normal
  wt("ranksum.y1_x1", wilcox.test(y1, x1))             # the other tail
  wt("ranksum.exact", wilcox.test(x1, c(0.21, 2.77, 1.11, 0.93))) # exact: n < 50, no ties
  wt("ranksum.exact_lo", wilcox.test(c(0.21, 2.77, 1.11, 0.93), x1))
  wt("ranksum.ties", wilcox.test(ties_a, ties_b))      # normal, tie-corrected, continuity
  wt("ranksum.big", wilcox.test(big_a, big_b))         # normal: n ≥ 50
  wt("ranksum.short", wilcox.test(vectors$short_a, vectors$short_b))
  wt("signed.x1_y1", wilcox.test(x1, y1, paired = TRUE))  # exact
  wt("signed.zero", wilcox.test(vectors$zero_d))        # zeros dropped: normal
  wt("signed.exact", wilcox.test(c(0.3, -1.2, 2.5, 0.8, 1.9, -0.1, 3.3)))
  wt("signed.big", wilcox.test(big_a))
})
kw <- kruskal.test(list(x1, y1, ties_a))
put("kruskal.3.stat", unname(kw$statistic)); put("kruskal.3.df", unname(kw$parameter)); put("kruskal.3.p", kw$p.value)
kw <- kruskal.test(list(ties_a, ties_b, c(3, 3, 10)))
put("kruskal.ties.stat", unname(kw$statistic)); put("kruskal.ties.p", kw$p.value)
fm <- matrix(c(1, 2, 3, 2, 2, 5, 3, 1, 4, 4, 4, 4, 1.5, 2.5, 0.5, 7, 6, 6), ncol = 3, byrow = TRUE)
fr <- friedman.test(fm)
put("friedman.mat", as.numeric(t(fm)))
put("friedman.stat", unname(fr$statistic)); put("friedman.df", unname(fr$parameter)); put("friedman.p", fr$p.value)
bh_in <- c(0.01, 0.04, NA, 0.03, 0.5, 0.04, 0.2, 1e-5)
put("bh.input", bh_in); put("bh.q", p.adjust(bh_in, "BH"))

# 2. Filters and Dirichlet instances of the fixture tables.
read_table <- function(dir) {
  t <- read.delim(file.path("testdata/cohort", dir, "genus.tsv"), check.names = FALSE, comment.char = "")
  m <- as.matrix(t[, -c(1, ncol(t))]); rownames(m) <- t[[1]]
  list(counts = t(m), groups = read.delim(file.path("testdata/cohort", dir, "groups.tsv"), stringsAsFactors = FALSE))
}
clr2 <- function(p) log2(p) - mean(log2(p))
draw <- function(x, k) {
  set.seed(k)
  inst <- lapply(seq_len(k), function(i) t(apply(x, 1, function(r) { g <- rgamma(length(r), shape = r + 0.5); g / sum(g) })))
  inst
}
write_instances <- function(path, inst, samples, taxa) {
  con <- file(path, "w")
  writeLines(paste(c("instance", "sample", taxa), collapse = "\t"), con)
  for (k in seq_along(inst)) for (i in seq_along(samples))
    writeLines(paste(c(k - 1, samples[i], sprintf("%.17g", inst[[k]][i, ])), collapse = "\t"), con)
  close(con)
}
expect <- function(inst, f) Reduce(`+`, lapply(inst, f)) / length(inst)

# 2a. Diet: prevalence (>= 1 read in >= 10 % of samples) and mean share
# (>= 0.01 %) filters on the whole table, then 8 instances of 16 kept genera.
d <- read_table("diet")
x <- d$counts
share <- x / rowSums(x)
prev <- colMeans(x >= 1)
keep <- prev >= 0.1 & colMeans(share) >= 1e-4
put("diet.filter.genera", ncol(x)); put("diet.filter.kept", sum(keep))
put("diet.filter.low_prevalence", sum(prev < 0.1)); put("diet.filter.low_share", sum(colMeans(share) < 1e-4))
taxa <- sort(colnames(x)[keep])[1:16]
if (!("Bilophila" %in% taxa)) taxa[16] <- "Bilophila"
x <- x[, taxa]
inst <- draw(x, 8)
write_instances(file.path(td, "da_instances_diet.tsv"), inst, rownames(x), taxa)
grp <- d$groups$group[match(rownames(x), d$groups$sample)]
subj <- d$groups$subject[match(rownames(x), d$groups$sample)]
A <- grp == "animal"; B <- grp == "plant"
per_taxon <- function(fun) function(p) { c <- t(apply(p, 1, clr2)); sapply(seq_along(taxa), function(j) fun(c[, j])) }
bh <- function(fun) function(p) p.adjust(per_taxon(fun)(p), "BH")
welch <- function(v) t.test(v[A], v[B])
put("diet.unpaired.taxa", seq_along(taxa))
put("diet.unpaired.tp", expect(inst, per_taxon(function(v) welch(v)$p.value)))
put("diet.unpaired.tq", expect(inst, bh(function(v) welch(v)$p.value)))
put("diet.unpaired.diff", expect(inst, per_taxon(function(v) mean(v[A]) - mean(v[B]))))
put("diet.unpaired.low", expect(inst, per_taxon(function(v) welch(v)$conf.int[1])))
put("diet.unpaired.high", expect(inst, per_taxon(function(v) welch(v)$conf.int[2])))
put("diet.unpaired.rankp", expect(inst, per_taxon(function(v) wilcox.test(v[A], v[B])$p.value)))
put("diet.unpaired.rankq", expect(inst, bh(function(v) wilcox.test(v[A], v[B])$p.value)))
put("diet.unpaired.mean_a", expect(inst, per_taxon(function(v) mean(v[A]))))
# Paired: subjects with both diets (P10 has none on the animal diet).
both <- sort(intersect(subj[A], subj[B]))
ia <- match(both, subj[A]); ib <- match(both, subj[B])
pd <- function(v) v[A][ia] - v[B][ib]
put("diet.paired.subjects", length(both))
put("diet.paired.tp", expect(inst, per_taxon(function(v) t.test(v[A][ia], v[B][ib], paired = TRUE)$p.value)))
put("diet.paired.tq", expect(inst, bh(function(v) t.test(v[A][ia], v[B][ib], paired = TRUE)$p.value)))
put("diet.paired.diff", expect(inst, per_taxon(function(v) mean(pd(v)))))
put("diet.paired.low", expect(inst, per_taxon(function(v) t.test(pd(v))$conf.int[1])))
put("diet.paired.high", expect(inst, per_taxon(function(v) t.test(pd(v))$conf.int[2])))
put("diet.paired.rankp", expect(inst, per_taxon(function(v) wilcox.test(v[A][ia], v[B][ib], paired = TRUE)$p.value)))
put("diet.paired.rankq", expect(inst, bh(function(v) wilcox.test(v[A][ia], v[B][ib], paired = TRUE)$p.value)))

# 2b. IBD, three groups: Kruskal–Wallis with BH, pairwise Welch effects;
# and Friedman on blocks made of the i-th sample of each group.
d <- read_table("ibd")
x <- d$counts
share <- x / rowSums(x)
keep <- colMeans(x >= 1) >= 0.1 & colMeans(share) >= 1e-4
taxa <- sort(colnames(x)[keep])[1:12]
x <- x[, taxa]
inst <- draw(x, 8)
write_instances(file.path(td, "da_instances_ibd.tsv"), inst, rownames(x), taxa)
grp <- d$groups$group[match(rownames(x), d$groups$sample)]
lv <- sort(unique(grp))
kwp <- function(v) kruskal.test(split(v, factor(grp, lv)))$p.value
put("ibd.kw.p", expect(inst, per_taxon(kwp)))
put("ibd.kw.q", expect(inst, bh(kwp)))
for (a in 1:2) for (b in (a + 1):3) {
  key <- sprintf("ibd.pair.%d_%d", a - 1, b - 1)
  w <- function(v) t.test(v[grp == lv[a]], v[grp == lv[b]])
  put(paste0(key, ".diff"), expect(inst, per_taxon(function(v) mean(v[grp == lv[a]]) - mean(v[grp == lv[b]]))))
  put(paste0(key, ".low"), expect(inst, per_taxon(function(v) w(v)$conf.int[1])))
  put(paste0(key, ".high"), expect(inst, per_taxon(function(v) w(v)$conf.int[2])))
}
blockmat <- function(v) sapply(lv, function(g) v[grp == g])  # 8 blocks x 3 groups
frp <- function(v) friedman.test(blockmat(v))$p.value
put("ibd.friedman.p", expect(inst, per_taxon(frp)))
put("ibd.friedman.q", expect(inst, bh(frp)))

con <- file(file.path(td, "refvalues_da.tsv"), "w")
writeLines(sprintf("# %s; stats::t.test, wilcox.test, kruskal.test, friedman.test, p.adjust; Rscript scripts/refvalues_da.R", R.version.string), con)
for (k in names(out)) {
  v <- out[[k]]
  writeLines(paste(c(k, ifelse(is.na(v), "NA", sprintf("%.17g", v))), collapse = "\t"), con)
}
close(con)
