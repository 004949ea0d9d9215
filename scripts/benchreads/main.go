// Command benchreads generates zonula-like full-length 16S reads and times a
// full scan + QC pass over reads files, for scripts/bench-reads.sh.
//
//	benchreads gen -size 1000000000 -o reads.fastq [-gz reads.fastq.gz]
//	benchreads scan [-primers] [-cpuprofile FILE] FILE...
//
// gen writes ~size bytes of FASTQ: reads of 1,300–1,700 bases drawn from 20
// random "species" templates with 27F and 1492R primers at the ends, about
// 2 % substitutions, half of them reverse-complemented, Phred qualities
// around Q25 with runs of low quality. scan reads every file with
// seqio.OpenRecords, runs qc.Check (or qc.Inspect with the default primer
// search when -primers is given) on each read, feeds a qc.Collector and
// prints reads, bases, N50, mean Q and the wall time.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"runtime/pprof"
	"time"

	"github.com/klauspost/pgzip"

	"github.com/zonula/zonula/pipeline/qc"
	"github.com/zonula/zonula/pipeline/seqio"
	"github.com/zonula/zonula/taxonomy/dna"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: benchreads gen|scan|sources|sim ...")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "gen":
		err = gen(os.Args[2:])
	case "scan":
		err = scan(os.Args[2:])
	case "sources":
		err = sources(os.Args[2:])
	case "sim":
		err = sim(os.Args[2:])
	default:
		err = fmt.Errorf("unknown command %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchreads:", err)
		os.Exit(1)
	}
}

func gen(args []string) error {
	fs := flag.NewFlagSet("gen", flag.ExitOnError)
	size := fs.Int64("size", 1e9, "approximate FASTQ size in bytes")
	out := fs.String("o", "reads.fastq", "FASTQ output")
	gz := fs.String("gz", "", "also write this gzip copy")
	fs.Parse(args)
	r := rand.New(rand.NewPCG(16, 27))
	const bases = "ACGT"
	templates := make([][]byte, 20)
	for i := range templates {
		t := make([]byte, 1700)
		for j := range t {
			t[j] = bases[r.IntN(4)]
		}
		templates[i] = t
	}
	fwd := []byte("AGAGTTTGATCCTGGCTCAG")
	rev := []byte("GGTTACCTTGTTACGACTT")
	dna.ReverseComplement(rev)
	f, err := os.Create(*out)
	if err != nil {
		return err
	}
	var w io.Writer = f
	var zw *pgzip.Writer
	var zf *os.File
	if *gz != "" {
		if zf, err = os.Create(*gz); err != nil {
			return err
		}
		zw, _ = pgzip.NewWriterLevel(zf, 6)
		w = io.MultiWriter(f, zw)
	}
	bw := bufio.NewWriterSize(w, 1<<20)
	var written int64
	seq := make([]byte, 0, 2000)
	qual := make([]byte, 0, 2000)
	for n := 0; written < *size; n++ {
		t := templates[r.IntN(len(templates))]
		l := 1300 + r.IntN(400)
		seq = append(seq[:0], fwd...)
		seq = append(seq, t[:l]...)
		seq = append(seq, rev...)
		for i := range seq {
			if r.IntN(50) == 0 {
				seq[i] = bases[r.IntN(4)]
			}
		}
		if r.IntN(2) == 0 {
			dna.ReverseComplement(seq)
		}
		qual = qual[:0]
		q := 25
		for range seq {
			q += r.IntN(5) - 2
			q = min(max(q, 5), 40)
			qual = append(qual, byte(q+33))
		}
		k, err := fmt.Fprintf(bw, "@read%d ch=%d\n%s\n+\n%s\n", n, r.IntN(512), seq, qual)
		if err != nil {
			return err
		}
		written += int64(k)
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	if zw != nil {
		if err := zw.Close(); err != nil {
			return err
		}
		if err := zf.Close(); err != nil {
			return err
		}
	}
	return f.Close()
}

func scan(args []string) error {
	fs := flag.NewFlagSet("scan", flag.ExitOnError)
	primers := fs.Bool("primers", false, "also find and trim primers and compute the read flags (qc.Inspect)")
	cpuprofile := fs.String("cpuprofile", "", "write a CPU profile to `FILE` (go tool pprof)")
	fs.Parse(args)
	if *cpuprofile != "" {
		pf, err := os.Create(*cpuprofile)
		if err != nil {
			return err
		}
		defer pf.Close()
		if err := pprof.StartCPUProfile(pf); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	o := qc.DefaultOptions()
	var pf *qc.PrimerFinder
	if *primers {
		var err error
		if pf, err = qc.NewPrimerFinder(qc.DefaultPrimerOptions()); err != nil {
			return err
		}
	}
	for _, path := range fs.Args() {
		start := time.Now()
		rr, c, err := seqio.OpenRecords(path)
		if err != nil {
			return err
		}
		col := qc.NewCollector(o)
		for rr.Scan() {
			rec := rr.Record()
			if pf != nil {
				res := qc.Inspect(rec, o, pf)
				col.AddInspected(rec, res, res.Primers.Antisense)
			} else {
				ok, reason := qc.Check(rec, o)
				col.Add(rec, ok, reason, false)
			}
		}
		c.Close()
		if err := rr.Err(); err != nil {
			return err
		}
		s := col.Summary()
		fmt.Printf("%s\treads=%d\tbases=%d\tpassed=%d\tN50=%d\tmeanQ=%.2f", path, s.InputReads, s.InputBases, s.PassedReads, s.N50, s.MeanQuality)
		if s.Primers != nil {
			fmt.Printf("\tprimers_found=%.4f", s.Primers.FoundShare)
		}
		fmt.Printf("\tseconds=%.3f\n", time.Since(start).Seconds())
	}
	return nil
}
