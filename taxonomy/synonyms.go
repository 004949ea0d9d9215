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

// movedClasses are classes of old phyla that are phyla of their own now,
// whatever phylum an old database files them under: the sulfate and
// sulfite reducers of the class Deltaproteobacteria (Desulfovibrio,
// Bilophila) form Desulfobacterota (Waite et al. 2020; Oren & Garrity 2021).
var movedClasses = map[string]string{
	"Deltaproteobacteria": "Desulfobacterota",
}

// Modernize returns the lineage with its phylum under its current name:
// CurrentPhylum of the phylum, or the phylum its class now forms
// (Proteobacteria;Deltaproteobacteria gives Desulfobacterota;
// Deltaproteobacteria), so that a taxon has the same phylum in every table,
// chart and index. Other ranks are left as the database has them.
func (l Lineage) Modernize() Lineage {
	if p, ok := movedClasses[l[Class]]; ok && l[Phylum] != "" {
		l[Phylum] = p
		return l
	}
	l[Phylum] = CurrentPhylum(l[Phylum])
	return l
}
