package taxonomy

// phylumSynonyms maps pre-2021 phylum names to the names validly published by
// Oren & Garrity 2021 (Int J Syst Evol Microbiol 71:005056), which the report uses.
var phylumSynonyms = map[string]string{
	"Firmicutes":            "Bacillota",
	"Bacteroidetes":         "Bacteroidota",
	"Proteobacteria":        "Pseudomonadota",
	"Actinobacteria":        "Actinomycetota",
	"Verrucomicrobia":       "Verrucomicrobiota",
	"Fusobacteria":          "Fusobacteriota",
	"Tenericutes":           "Mycoplasmatota",
	"Spirochaetes":          "Spirochaetota",
	"Chlorobi":              "Chlorobiota",
	"Chloroflexi":           "Chloroflexota",
	"Deinococcus-Thermus":   "Deinococcota",
	"Thermotogae":           "Thermotogota",
	"Aquificae":             "Aquificota",
	"Chlamydiae":            "Chlamydiota",
	"Planctomycetes":        "Planctomycetota",
	"Deferribacteres":       "Deferribacterota",
	"Acidobacteria":         "Acidobacteriota",
	"Nitrospirae":           "Nitrospirota",
	"Nitrospira":            "Nitrospirota",
	"Lentisphaerae":         "Lentisphaerota",
	"Gemmatimonadetes":      "Gemmatimonadota",
	"Dictyoglomi":           "Dictyoglomota",
	"Thermodesulfobacteria": "Thermodesulfobacteriota",
	"Chrysiogenetes":        "Chrysiogenota",
	"Euryarchaeota":         "Methanobacteriota",
	"Crenarchaeota":         "Thermoproteota",
	"Synergistetes":         "Synergistota",
	"Cyanobacteria":         "Cyanobacteriota",
}

// CurrentPhylum returns the current name of a phylum (Firmicutes gives
// Bacillota). A GTDB suffix is dropped first (StripGTDBSuffix), so GTDB's
// splits fold into the phylum they came from: "Firmicutes_A" and
// "Bacillota_A" both give Bacillota. Other names come back unchanged.
func CurrentPhylum(name string) string {
	base := StripGTDBSuffix(name)
	if cur, ok := phylumSynonyms[base]; ok {
		return cur
	}
	return base
}

// Modernize returns the lineage with phylum names replaced by their current
// names. Other ranks are left as the database has them.
func (l Lineage) Modernize() Lineage {
	l[Phylum] = CurrentPhylum(l[Phylum])
	return l
}
