package refdb

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"syscall"
	"testing"
	"time"
)

// syntheticRefs returns n references made from the embedded database's
// sequences, each with about 2 % of its bases changed (seeded by its index),
// so that they are distinct and compress like real 16S data.
func syntheticRefs(tb testing.TB, n int) []Reference {
	tb.Helper()
	db, err := Default()
	if err != nil {
		tb.Fatal(err)
	}
	const bases = "ACGT"
	refs := make([]Reference, n)
	for i := range refs {
		src := db.Refs[i%len(db.Refs)]
		rng := rand.New(rand.NewPCG(1, uint64(i)))
		seq := bytes.Clone(src.Seq)
		for range len(seq) / 50 {
			seq[rng.IntN(len(seq))] = bases[rng.IntN(4)]
		}
		refs[i] = Reference{ID: fmt.Sprintf("syn%07d", i), Lineage: src.Lineage, Seq: seq}
	}
	return refs
}

func syntheticDB(tb testing.TB, n int) []byte {
	tb.Helper()
	var buf bytes.Buffer
	if _, err := Write(&buf, Header{Name: "synthetic", Version: "1"}, syntheticRefs(tb, n)); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// BenchmarkRead500k loads a database of 500,000 synthetic references
// (about 730 MB of sequence, the size of SILVA NR99).
func BenchmarkRead500k(b *testing.B) {
	data := syntheticDB(b, benchRefs)
	b.Logf("file %d MB", len(data)>>20)
	n := 0
	cpu0 := cpuTime()
	for b.Loop() {
		db, err := Read(bytes.NewReader(data))
		if err != nil {
			b.Fatal(err)
		}
		n += len(db.Refs)
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "refs/s")
	// The machine may be shared: CPU time says what a load costs.
	b.ReportMetric((cpuTime()-cpu0).Seconds()/float64(b.N), "cpu-s/op")
}

// cpuTime returns the process's user+system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkWrite50k writes a database of 50,000 synthetic references.
func BenchmarkWrite50k(b *testing.B) {
	refs := syntheticRefs(b, 50_000)
	var bases int64
	for _, r := range refs {
		bases += int64(len(r.Seq))
	}
	b.SetBytes(bases)
	for b.Loop() {
		if _, err := Write(&bytes.Buffer{}, Header{Name: "synthetic"}, refs); err != nil {
			b.Fatal(err)
		}
	}
}

// benchRefs is the size of BenchmarkRead500k's database; lower it by hand
// for a quick profile.
const benchRefs = 500_000

// BenchmarkBuild100k builds a database from the records of 100,000
// synthetic references with SINTAX headers (about 150 MB of sequence):
// checking the sequences, reading lineages, dereplication, sorting,
// compression. Parsing the FASTA text is pipeline/seqio's, benchmarked there.
func BenchmarkBuild100k(b *testing.B) {
	refs := syntheticRefs(b, 100_000)
	recs := make([]Record, len(refs))
	bases := 0
	for i, r := range refs {
		recs[i] = Record{ID: sintaxLabel(r), Seq: r.Seq, File: "bench.fa"}
		bases += len(r.Seq)
	}
	b.SetBytes(int64(bases))
	cpu0 := cpuTime()
	for b.Loop() {
		refs, _, err := BuildFrom(Input{Format: FormatSintax, FASTA: &records{recs: recs}, FASTAName: "bench.fa"})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := Write(io.Discard, Header{Name: "bench"}, refs); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric((cpuTime()-cpu0).Seconds()/float64(b.N), "cpu-s/op")
}

// TestWriteSyntheticDB writes BenchmarkRead500k's database to the file
// named by $ZONULA_SYNTH_DB, to time 'zonula db info FILE' on it.
func TestWriteSyntheticDB(t *testing.T) {
	path := os.Getenv("ZONULA_SYNTH_DB")
	if path == "" {
		t.Skip("set ZONULA_SYNTH_DB=FILE to write a database of 500,000 synthetic references")
	}
	if err := os.WriteFile(path, syntheticDB(t, 500_000), 0o644); err != nil {
		t.Fatal(err)
	}
}

// sintaxLabel returns r's id with a SINTAX genus-level tag, as a FASTA
// header gives it.
func sintaxLabel(r Reference) string {
	return fmt.Sprintf("%s;tax=d:%s,p:%s,c:%s,o:%s,f:%s,g:%s;", r.ID, r.Lineage[0], r.Lineage[1], r.Lineage[2], r.Lineage[3], r.Lineage[4], r.Lineage[5])
}

// writeSintax writes refs as SINTAX FASTA (genus-level tags, 80 bases a
// line).
func writeSintax(w io.Writer, refs []Reference) error {
	bw := bufio.NewWriter(w)
	for _, r := range refs {
		fmt.Fprintf(bw, ">%s\n", sintaxLabel(r))
		for s := r.Seq; len(s) > 0; {
			n := min(len(s), 80)
			bw.Write(s[:n])
			bw.WriteByte('\n')
			s = s[n:]
		}
	}
	return bw.Flush()
}

// TestWriteSyntheticFASTA writes BenchmarkRead500k's references as SINTAX
// FASTA to the file named by $ZONULA_SYNTH_FASTA, to time 'zonula db build'
// and a run on the result (scripts/bench-bigdb.sh).
func TestWriteSyntheticFASTA(t *testing.T) {
	path := os.Getenv("ZONULA_SYNTH_FASTA")
	if path == "" {
		t.Skip("set ZONULA_SYNTH_FASTA=FILE to write 500,000 synthetic references as FASTA")
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := writeSintax(f, syntheticRefs(t, benchRefs)); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}
