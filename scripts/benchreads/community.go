package main

// Community benchmark reads (scripts/bench-community.sh).
//
//	benchreads sources -db FULL.zdb -spec communities.tsv -draw N -o DIR
//	benchreads sim -db FULL.zdb -sources DIR/sources.tsv -community NAME
//	    -platform hifi|r10|r9 -reads N -seed S [-chimeras 0.05] [-junk 0.02] -o READS.fq.gz
//
// sources draws, for every member of every community in the spec (a
// species "Genus epithet" or a genus), one source gene among the database's
// references of that name (seeded by the draw) and writes DIR/sources.tsv
// and DIR/sources.fasta; the caller removes those genes, and every gene at
// least 99.9 % identical to one, from the database reads are classified
// against (leave-one-out). Members marked "absent" have their whole genus
// removed (novel genera).
//
// sim draws reads of one community from its sources with errors whose
// Phred qualities are calibrated: every base gets a quality q and is wrong
// with probability 10^(−q/10), so the error rate the qualities imply
// equals the realised one (zonula simulate's qualities understate it by
// about a quarter). Read i depends only on the seed and i.

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"hash/fnv"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/klauspost/pgzip"

	"github.com/zonula/zonula/taxonomy"
	"github.com/zonula/zonula/taxonomy/dna"
	"github.com/zonula/zonula/taxonomy/refdb"
)

// member is one line of the community spec, or of sources.tsv with its
// source gene.
type member struct {
	community, name string
	fraction        float64
	absent          bool
	ref             int // index into the database's references
}

func loadDB(path string) (*refdb.DB, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return refdb.Read(bufio.NewReader(f))
}

// readSpec reads "community<TAB>member<TAB>fraction[<TAB>absent|REFID]"
// lines; # starts a comment.
func readSpec(path string) ([]member, []string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	var ms []member
	var refIDs []string
	for n, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || line[0] == '#' {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) < 3 {
			return nil, nil, fmt.Errorf("%s:%d: want community, member, fraction", path, n+1)
		}
		v, err := strconv.ParseFloat(f[2], 64)
		if err != nil {
			return nil, nil, fmt.Errorf("%s:%d: %v", path, n+1, err)
		}
		m := member{community: f[0], name: f[1], fraction: v, ref: -1}
		id := ""
		if len(f) > 3 {
			m.absent = f[3] == "absent"
			if !m.absent {
				id = f[3]
			}
		}
		ms = append(ms, m)
		refIDs = append(refIDs, id)
	}
	return ms, refIDs, nil
}

// refsNamed returns the references whose species or genus is name.
func refsNamed(db *refdb.DB, name string) []int {
	var out []int
	for i, r := range db.Refs {
		if r.Lineage[taxonomy.Species] == name || r.Lineage[taxonomy.Genus] == name {
			out = append(out, i)
		}
	}
	return out
}

func sources(args []string) error {
	fs := flag.NewFlagSet("sources", flag.ExitOnError)
	dbPath := fs.String("db", "", "database built from the whole source FASTA")
	spec := fs.String("spec", "", "communities spec")
	draw := fs.Uint64("draw", 1, "draw number (seeds the choice of source genes)")
	out := fs.String("o", ".", "output directory")
	fs.Parse(args)
	db, err := loadDB(*dbPath)
	if err != nil {
		return err
	}
	ms, _, err := readSpec(*spec)
	if err != nil {
		return err
	}
	tsv, err := os.Create(*out + "/sources.tsv")
	if err != nil {
		return err
	}
	defer tsv.Close()
	fa, err := os.Create(*out + "/sources.fasta")
	if err != nil {
		return err
	}
	defer fa.Close()
	written := map[int]bool{}
	for _, m := range ms {
		idx := refsNamed(db, m.name)
		if len(idx) == 0 {
			return fmt.Errorf("member %q of %s: no reference carries that name", m.name, m.community)
		}
		h := fnv.New64a()
		h.Write([]byte(m.name))
		rng := rand.New(rand.NewPCG(*draw, h.Sum64()))
		ref := idx[rng.IntN(len(idx))]
		r := db.Refs[ref]
		mark := r.ID
		if m.absent {
			mark = "absent"
		}
		fmt.Fprintf(tsv, "%s\t%s\t%g\t%s\t%s\n", m.community, m.name, m.fraction, mark, r.ID)
		if !written[ref] {
			written[ref] = true
			fmt.Fprintf(fa, ">%s\n%s\n", r.ID, r.Seq)
		}
	}
	return nil
}

// platform is a calibrated error profile: a read's mean quality is drawn
// from N(meanQ, readSD), each base's from N(read's, baseSD) (lower by
// homopolymerQ inside runs of three or more), and a base is wrong with the
// probability its quality states; sub, ins and del share the errors
// (indels only, inside runs).
type platform struct {
	meanQ, readSD, baseSD, homopolymerQ float64
	sub, ins, del                       float64
}

var platforms = map[string]platform{
	"hifi": {meanQ: 28, readSD: 2, baseSD: 4, homopolymerQ: 6, sub: 0.4, ins: 0.3, del: 0.3},
	"r10":  {meanQ: 20.5, readSD: 2, baseSD: 6, homopolymerQ: 4, sub: 0.45, ins: 0.2, del: 0.35},
	"r9":   {meanQ: 14.5, readSD: 1.5, baseSD: 5, homopolymerQ: 3, sub: 0.45, ins: 0.2, del: 0.35},
}

func sim(args []string) error {
	fs := flag.NewFlagSet("sim", flag.ExitOnError)
	dbPath := fs.String("db", "", "database built from the whole source FASTA")
	src := fs.String("sources", "", "sources.tsv from 'benchreads sources'")
	community := fs.String("community", "", "community to draw")
	plat := fs.String("platform", "hifi", "hifi, r10 or r9")
	n := fs.Int("reads", 3000, "16S reads")
	seed := fs.Uint64("seed", 1, "seed")
	chim := fs.Float64("chimeras", 0.05, "extra chimeric reads, as a share of reads")
	junk := fs.Float64("junk", 0.02, "extra non-16S reads, as a share of reads")
	out := fs.String("o", "reads.fq.gz", "FASTQ output (gzip)")
	fs.Parse(args)
	p, ok := platforms[*plat]
	if !ok {
		return fmt.Errorf("unknown platform %q", *plat)
	}
	db, err := loadDB(*dbPath)
	if err != nil {
		return err
	}
	ms, err := readSources(db, *src, *community)
	if err != nil {
		return err
	}
	f, err := os.Create(*out)
	if err != nil {
		return err
	}
	zw := pgzip.NewWriter(f)
	bw := bufio.NewWriter(zw)
	if err := simulate(bw, db, ms, p, *n, *seed, *chim, *junk); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return f.Close()
}

func readSources(db *refdb.DB, path, community string) ([]member, error) {
	all, ids, err := readSpec(path)
	if err != nil {
		return nil, err
	}
	byID := map[string]int{}
	for i, r := range db.Refs {
		byID[r.ID] = i
	}
	var ms []member
	data, _ := os.ReadFile(path)
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	for i, m := range all {
		if m.community != community {
			continue
		}
		id := ids[i]
		if m.absent {
			id = strings.Split(lines[i], "\t")[4]
		}
		ref, ok := byID[id]
		if !ok {
			return nil, fmt.Errorf("source %q of %s not in the database", id, m.name)
		}
		m.ref = ref
		ms = append(ms, m)
	}
	if len(ms) == 0 {
		return nil, errors.New("no members for community " + community)
	}
	return ms, nil
}

func simulate(w io.Writer, db *refdb.DB, ms []member, p platform, n int, seed uint64, chim, junk float64) error {
	cum := make([]float64, len(ms))
	acc := 0.0
	for i, m := range ms {
		acc += m.fraction
		cum[i] = acc
	}
	pick := func(rng *rand.Rand) member {
		i, _ := slices.BinarySearch(cum, rng.Float64()*acc)
		return ms[min(i, len(ms)-1)]
	}
	nChim, nJunk := int(math.Round(float64(n)*chim)), int(math.Round(float64(n)*junk))
	for i := range n + nChim + nJunk {
		rng := rand.New(rand.NewPCG(seed, uint64(i)))
		var seq []byte
		var kind, lineage, ref, name string
		switch {
		case i < n:
			m := pick(rng)
			r := db.Refs[m.ref]
			seq, kind, lineage, ref, name = slices.Clone(r.Seq), "16S", r.Lineage.String(), r.ID, m.name
		case i < n+nChim:
			a, b := pick(rng), pick(rng)
			ra := db.Refs[a.ref]
			for tries := 0; tries < 50 && db.Refs[b.ref].Lineage[taxonomy.Genus] == ra.Lineage[taxonomy.Genus]; tries++ {
				b = pick(rng)
			}
			rb := db.Refs[b.ref]
			cut := 0.3 + 0.4*rng.Float64()
			ca, cb := int(cut*float64(len(ra.Seq))), int(cut*float64(len(rb.Seq)))
			seq = append(slices.Clone(ra.Seq[:ca]), rb.Seq[cb:]...)
			kind, lineage, ref, name = "chimera", taxonomy.LCA(ra.Lineage, rb.Lineage).String(), ra.ID+"+"+rb.ID, a.name+"+"+b.name
		default:
			seq = make([]byte, 1200+rng.IntN(500))
			for j := range seq {
				seq[j] = "ACGT"[rng.IntN(4)]
			}
			kind, lineage, ref, name = "junk", "none", "none", "none"
		}
		strand := "+"
		if rng.IntN(2) == 1 {
			dna.ReverseComplement(seq)
			strand = "-"
		}
		s, q := mutate(rng, seq, p)
		if _, err := fmt.Fprintf(w, "@cs%07d ref=%s strand=%s member=%s kind=%s lineage=%s\n%s\n+\n%s\n",
			i+1, ref, strand, strings.ReplaceAll(name, " ", "_"), kind, lineage, s, q); err != nil {
			return err
		}
	}
	return nil
}

// mutate returns seq with errors drawn from calibrated qualities (see
// platform) and those qualities, Phred+33, 2 to 50.
func mutate(rng *rand.Rand, seq []byte, p platform) ([]byte, []byte) {
	out := make([]byte, 0, len(seq)+len(seq)/10)
	qual := make([]byte, 0, cap(out))
	readQ := p.meanQ + p.readSD*rng.NormFloat64()
	draw := func(inRun bool) (byte, float64) {
		q := readQ + p.baseSD*rng.NormFloat64()
		if inRun {
			q -= p.homopolymerQ
		}
		qi := min(max(int(math.Round(q)), 2), 50)
		return byte(qi + 33), math.Pow(10, -float64(qi)/10)
	}
	var pendingQ byte // quality of a deleted base, carried by the next one
	for i := 0; i < len(seq); i++ {
		c := concrete(rng, seq[i])
		inRun := (i >= 2 && seq[i-1] == c && seq[i-2] == c) || (i+2 < len(seq) && seq[i+1] == c && seq[i+2] == c) ||
			(i >= 1 && i+1 < len(seq) && seq[i-1] == c && seq[i+1] == c)
		qc, pe := draw(inRun)
		if rng.Float64() >= pe {
			if pendingQ != 0 {
				qc, pendingQ = min(qc, pendingQ), 0
			}
			out, qual = append(out, c), append(qual, qc)
			continue
		}
		sub, ins := p.sub, p.ins
		if inRun {
			sub = 0
		}
		u := rng.Float64() * (sub + ins + p.del)
		switch {
		case u < sub:
			out, qual = append(out, other(rng, c)), append(qual, qc)
		case u < sub+ins:
			// the inserted base carries the error's quality
			q2, _ := draw(inRun)
			out, qual = append(out, c, c), append(qual, q2, qc)
		default:
			pendingQ = qc
		}
	}
	return out, qual
}

func concrete(rng *rand.Rand, c byte) byte {
	switch c {
	case 'A', 'C', 'G', 'T':
		return c
	}
	return "ACGT"[rng.IntN(4)]
}

func other(rng *rand.Rand, c byte) byte {
	for {
		if b := "ACGT"[rng.IntN(4)]; b != c {
			return b
		}
	}
}
