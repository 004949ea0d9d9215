package pipeline

import (
	"errors"
	"fmt"
	"os"

	"github.com/zonula/zonula/pipeline/seqio"
)

// ExpandInputs returns inputs with every directory replaced by the read
// files directly inside it, sorted by name (seqio.ReadFilesIn): an ONT
// barcode directory such as fastq_pass/barcode01/ is read as one sample.
// Files, "-" and paths that do not exist pass unchanged (opening them
// reports the problem). A directory without read files gives an
// *InputError naming it that wraps seqio.ErrNoReads; when it holds barcode
// directories instead (a whole fastq_pass/), the error says to run each
// barcode as its own sample.
//
// To list the barcodes of a run for many samples, use seqio.FindBarcodes.
func ExpandInputs(inputs []string) ([]string, error) {
	var out []string
	for _, in := range inputs {
		st, err := os.Stat(in)
		if in == "-" || err != nil || !st.IsDir() {
			out = append(out, in)
			continue
		}
		files, err := seqio.ReadFilesIn(in)
		if err != nil {
			if errors.Is(err, seqio.ErrNoReads) {
				if bc, berr := seqio.FindBarcodes(in); berr == nil && len(bc) > 0 {
					err = fmt.Errorf("%w directly inside; it holds %d barcode directories (%s, …): give one barcode directory per sample, or use 'zonula batch'", seqio.ErrNoReads, len(bc), bc[0].Name)
				} else {
					err = fmt.Errorf("%w in this directory (want *.fastq.gz, *.fq, *.fasta, *.bam, …)", seqio.ErrNoReads)
				}
			}
			return nil, &InputError{Path: in, Err: err}
		}
		out = append(out, files...)
	}
	return out, nil
}
