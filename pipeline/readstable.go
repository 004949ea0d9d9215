package pipeline

import (
	"compress/gzip"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/zonula/zonula/pipeline/profile"
)

// readsTable writes the per-read table (reads.tsv.gz, the classify
// command's output): one line per read, in input order.
type readsTable struct {
	w    io.Writer
	gz   *gzip.Writer // nil for plain text
	line []byte
}

// newReadsTable starts a per-read table on out, gzip-compressed when name
// ends in ".gz". gzip headers carry no name or time, so the file is
// byte-identical on re-runs.
func newReadsTable(out io.Writer, name string) (*readsTable, error) {
	t := &readsTable{w: out}
	if strings.HasSuffix(name, ".gz") {
		z, err := gzip.NewWriterLevel(out, gzip.BestSpeed)
		if err != nil {
			return nil, err
		}
		t.gz, t.w = z, z
	}
	_, err := fmt.Fprintln(t.w, "read_id\tstatus\tlineage\trank\tconfidence\tidentity\treference")
	return t, err
}

// add writes one read's line.
func (t *readsTable) add(id string, r profile.Read) error {
	t.line = appendReadLine(t.line[:0], id, r)
	_, err := t.w.Write(t.line)
	return err
}

// close ends the gzip stream; the caller closes out.
func (t *readsTable) close() error {
	if t.gz != nil {
		return t.gz.Close()
	}
	return nil
}

// appendReadLine appends one line of the per-read table: read_id, status,
// lineage, rank, confidence, identity and reference; a filtered read has
// status "filtered", rank "none" and its filter's reason last.
func appendReadLine(b []byte, id string, r profile.Read) []byte {
	b = append(b, id...)
	b = append(b, '\t')
	if !r.Passed {
		b = append(b, "filtered\t\tnone\t0\t0\t"...)
		b = append(b, r.Reason...)
		return append(b, '\n')
	}
	a := r.Assignment
	b = append(b, a.Status.String()...)
	b = append(b, '\t')
	b = append(b, a.Lineage.String()...)
	b = append(b, '\t')
	b = append(b, a.Rank.String()...)
	b = append(b, '\t')
	b = strconv.AppendFloat(b, a.Confidence, 'f', 3, 64)
	b = append(b, '\t')
	b = strconv.AppendFloat(b, a.Identity, 'f', 4, 64)
	b = append(b, '\t')
	b = append(b, a.Reference...)
	return append(b, '\n')
}
