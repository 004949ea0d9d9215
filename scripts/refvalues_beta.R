# Called by scripts/refvalues.sh: vegan (and base R) values for the sample
# tables of pipeline/metrics/testdata. Arguments: beta_table.tsv beta_edge.tsv
# alpha_counts.tsv rarefaction_depths. Writes
#   section<TAB>name<TAB>metric<TAB>v1,v2,...
# to stdout, values with %.17g (NA for missing, "error: ..." when R stops).
# Distances are the lower triangle of dist() column by column, which for a
# symmetric matrix is the upper triangle row by row (scipy's condensed form).
suppressMessages(library(vegan))
args <- commandArgs(trailingOnly = TRUE)

read_table <- function(path) {
  t <- read.delim(path, comment.char = "#", check.names = FALSE, stringsAsFactors = FALSE)
  rownames(t) <- t$sample
  list(x = as.matrix(t[, setdiff(names(t), c("sample", "group"))]), group = t$group)
}

emit <- function(section, name, metric, expr) {
  v <- tryCatch(suppressWarnings(expr), error = function(e) paste("error:", conditionMessage(e)))
  if (is.numeric(v)) v <- paste(ifelse(is.na(v), "NA", sprintf("%.17g", unname(v))), collapse = ",")
  cat(section, name, metric, gsub("[\t\n]", " ", v), sep = "\t")
  cat("\n")
}

cat("#", "vegan", as.character(packageVersion("vegan")), R.version.string, sep = "\t")
cat("\n")

clr1 <- function(x) decostand(x, "clr", pseudocount = 1)

for (f in args[1:2]) {
  name <- sub("\\.tsv$", "", basename(f))
  t <- read_table(f)
  x <- t$x
  emit("table", name, "braycurtis", as.numeric(vegdist(x, "bray")))
  emit("table", name, "jaccard", as.numeric(vegdist(x, "jaccard", binary = TRUE)))
  emit("table", name, "aitchison_p1", as.numeric(vegdist(x, "aitchison", pseudocount = 1)))
  if (name == "beta_table") {
    d <- vegdist(x, "bray")
    emit("table", name, "cmdscale_bray_eig", cmdscale(d, k = nrow(x) - 1, eig = TRUE)$eig)
    set.seed(1)
    a <- adonis2(d ~ group, data = data.frame(group = t$group), permutations = 9999)
    emit("table", name, "adonis2_bray_F", a$F[1])
    emit("table", name, "adonis2_bray_R2", a$R2[1])
    emit("table", name, "adonis2_bray_p9999", a$`Pr(>F)`[1])
    da <- vegdist(x, "aitchison", pseudocount = 1)
    a <- adonis2(da ~ group, data = data.frame(group = t$group), permutations = 9999)
    emit("table", name, "adonis2_aitchison_p1_F", a$F[1])
    emit("table", name, "adonis2_aitchison_p1_R2", a$R2[1])
    emit("table", name, "adonis2_aitchison_p1_p9999", a$`Pr(>F)`[1])
    # CLR (pseudocount 1) + Welch t per taxon, then Benjamini–Hochberg.
    z <- clr1(x)
    lv <- sort(unique(t$group))
    tt <- lapply(seq_len(ncol(z)), function(j) tryCatch(
      t.test(z[t$group == lv[1], j], z[t$group == lv[2], j], var.equal = FALSE),
      error = function(e) NULL))
    pick <- function(f) sapply(tt, function(r) if (is.null(r)) NA else f(r))
    emit("table", name, "welch_t", pick(function(r) r$statistic))
    emit("table", name, "welch_df", pick(function(r) r$parameter))
    emit("table", name, "welch_p", pick(function(r) r$p.value))
    emit("table", name, "welch_q", p.adjust(pick(function(r) r$p.value), "BH"))
    emit("table", name, "clr_p1_S1", z[1, ])
  }
}

# Hurlbert rarefaction on the alpha vectors at the given depths; NA where the
# depth exceeds the sample (vegan would return S_obs with a warning).
depths <- as.numeric(strsplit(args[4], ",")[[1]])
lines <- readLines(args[3])
lines <- lines[!grepl("^#", lines) & nzchar(lines)]
for (f in strsplit(lines, "\t")) {
  x <- as.numeric(strsplit(f[2], ",")[[1]])
  emit("rarefy", f[1], "rarefy", as.numeric(sapply(depths, function(n) if (n > sum(x)) NA else rarefy(x, n)[[1]])))
}

# Benjamini–Hochberg on a fixed vector with ties and an NA.
p <- c(0.01, 0.04, 0.03, 0.04, 0.2, NA, 0.0001, 0.9, 0.5, 0.04)
emit("bh", "fixed", "input", p)
emit("bh", "fixed", "p.adjust_BH", p.adjust(p, "BH"))
