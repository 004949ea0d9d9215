package tables

import (
	"fmt"
	"slices"
	"strings"
)

// Format names an abundance table format. The zero value, FormatAuto, asks
// ReadTables to detect the format from the content. Format implements
// pflag.Value (Set, String, Type), so a command can bind it to a flag.
type Format int

// The table formats ReadTables reads.
const (
	FormatAuto      Format = iota // detect from content
	FormatDelimited               // TSV or CSV, taxa as rows or samples as rows
	FormatZonula                  // zonula's own abundance.tsv (one sample)
	FormatBIOM1                   // BIOM 1.0 JSON, dense or sparse
	FormatBIOM2                   // BIOM 2.1 HDF5
	FormatQZA                     // QIIME 2 artifact holding a BIOM feature table
	FormatEmu                     // Emu <sample>_rel-abundance.tsv
	FormatKraken                  // Kraken2 report (also Bracken's -w report)
	FormatBracken                 // Bracken abundance output
	FormatMetaPhlAn               // MetaPhlAn 3/4 profile or merged table
	FormatMothur                  // mothur .shared
)

var formatNames = []string{"auto", "tsv", "zonula", "biom1", "biom2", "qza", "emu", "kraken2", "bracken", "metaphlan", "mothur"}

// String returns the format's name as Set accepts it ("biom2").
func (f Format) String() string {
	if f < 0 || int(f) >= len(formatNames) {
		return fmt.Sprintf("Format(%d)", int(f))
	}
	return formatNames[f]
}

// Set parses a format name: auto, tsv (also csv), zonula, biom1 (also
// biom, json), biom2 (also hdf5), qza, emu, kraken2 (also kraken, kreport),
// bracken, metaphlan, mothur (also shared). Case is ignored.
func (f *Format) Set(s string) error {
	s = strings.ToLower(strings.TrimSpace(s))
	alias := map[string]Format{"csv": FormatDelimited, "biom": FormatBIOM1, "json": FormatBIOM1, "hdf5": FormatBIOM2,
		"kraken": FormatKraken, "kreport": FormatKraken, "shared": FormatMothur, "": FormatAuto}
	if v, ok := alias[s]; ok {
		*f = v
		return nil
	}
	if i := slices.Index(formatNames, s); i >= 0 {
		*f = Format(i)
		return nil
	}
	return fmt.Errorf("unknown table format %q (want one of %s)", s, strings.Join(formatNames, ", "))
}

// Type returns the flag type name shown in help.
func (f *Format) Type() string { return "format" }

// Orientation says how a delimited (TSV/CSV) table is laid out.
type Orientation int

// Orientations of a delimited table.
const (
	OrientAuto    Orientation = iota // detect (see ReadTables)
	TaxaAsRows                       // one row per taxon, one column per sample (QIIME, phyloseq export)
	SamplesAsRows                    // one row per sample, one column per taxon
)

var orientNames = []string{"auto", "taxa-rows", "sample-rows"}

// String returns the orientation's name as Set accepts it.
func (o Orientation) String() string {
	if o < 0 || int(o) >= len(orientNames) {
		return fmt.Sprintf("Orientation(%d)", int(o))
	}
	return orientNames[o]
}

// Set parses auto, taxa-rows or sample-rows.
func (o *Orientation) Set(s string) error {
	if i := slices.Index(orientNames, strings.ToLower(strings.TrimSpace(s))); i >= 0 {
		*o = Orientation(i)
		return nil
	}
	return fmt.Errorf("unknown orientation %q (want auto, taxa-rows or sample-rows)", s)
}

// Type returns the flag type name shown in help.
func (o *Orientation) Type() string { return "orientation" }
