# Called by scripts/refvalues.sh: vegan's alpha and beta diversity values for
# the count vectors in the two TSV files given as arguments. Writes
#   section<TAB>name<TAB>metric<TAB>value
# to stdout, values with %.17g (NaN, Inf as R prints them; "error: ..." when
# vegan stops). Needs Debian's r-cran-vegan.
suppressMessages(library(vegan))
args <- commandArgs(trailingOnly = TRUE)

read_vectors <- function(path) {
  lines <- readLines(path)
  lines <- lines[!grepl("^#", lines) & nzchar(lines)]
  lapply(strsplit(lines, "\t"), function(f) {
    list(name = f[1], vals = lapply(f[-1], function(v) as.numeric(strsplit(v, ",")[[1]])))
  })
}

emit <- function(section, name, metric, expr) {
  v <- tryCatch(suppressWarnings(expr), error = function(e) paste("error:", conditionMessage(e)))
  if (is.numeric(v)) v <- sprintf("%.17g", unname(v))
  cat(section, name, metric, gsub("[\t\n]", " ", v), sep = "\t")
  cat("\n")
}

cat("#", "vegan", as.character(packageVersion("vegan")), R.version.string, sep = "\t")
cat("\n")

for (r in read_vectors(args[1])) {
  x <- r$vals[[1]]
  m <- matrix(x, nrow = 1)
  emit("alpha", r$name, "observed", specnumber(m)[1])
  emit("alpha", r$name, "shannon", diversity(m, "shannon")[1])
  emit("alpha", r$name, "shannon_base2", diversity(m, "shannon", base = 2)[1])
  emit("alpha", r$name, "shannon_base10", diversity(m, "shannon", base = 10)[1])
  emit("alpha", r$name, "simpson", diversity(m, "simpson")[1])
  emit("alpha", r$name, "inverse_simpson", diversity(m, "invsimpson")[1])
  emit("alpha", r$name, "pielou", diversity(m, "shannon")[1] / log(specnumber(m)[1]))
  emit("alpha", r$name, "chao1", estimateR(x)[["S.chao1"]])
  emit("alpha", r$name, "ace", estimateR(x)[["S.ACE"]])
}

for (r in read_vectors(args[2])) {
  m <- rbind(r$vals[[1]], r$vals[[2]])
  emit("beta", r$name, "braycurtis", as.numeric(vegdist(m, "bray"))[1])
  emit("beta", r$name, "jaccard", as.numeric(vegdist(m, "jaccard", binary = TRUE))[1])
}
