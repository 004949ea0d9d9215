package tables

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/zonula/zonula/taxonomy"
)

func TestBIOMFormatFlag(t *testing.T) {
	var f BIOMFormat
	if f != BIOM10 || f.String() != "1.0" || f.Type() != "version" {
		t.Errorf("zero value %v (%q), type %q; want BIOM10 (1.0), version", int(f), f.String(), f.Type())
	}
	for _, c := range []struct {
		in   string
		want BIOMFormat
	}{{"1.0", BIOM10}, {"2.1", BIOM21}, {" 2.1 ", BIOM21}} {
		var g BIOMFormat
		if err := g.Set(c.in); err != nil || g != c.want || g.String() != strings.TrimSpace(c.in) {
			t.Errorf("Set(%q) = %v, %v; want %v", c.in, g, err, c.want)
		}
	}
	for _, bad := range []string{"", "1", "2", "2.0", "json", "hdf5", "1.0.0"} {
		g := BIOM21
		if err := g.Set(bad); err == nil || !strings.Contains(err.Error(), "want 1.0 or 2.1") || g != BIOM21 {
			t.Errorf("Set(%q): %v, value %v; want an error naming 1.0 and 2.1, value kept", bad, err, g)
		}
	}
	if s := BIOMFormat(7).String(); s != "BIOMFormat(7)" {
		t.Errorf("String of an unknown value: %q", s)
	}
}

// TestBIOM21Deterministic: a BIOM 2.1 file holds no clock time (its
// creation-date is BIOMMeta.Date) and its bytes depend on the profile
// only, not on the order its reads were added in; the golden file pins
// the bytes across runs.
func TestBIOM21Deterministic(t *testing.T) {
	meta := BIOMMeta{GeneratedBy: "zonula test", Date: epoch, Format: BIOM21}
	var first bytes.Buffer
	if err := WriteBIOM(&first, sampleBuilder().Profile(), taxonomy.Genus, meta); err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "genus.biom21", first.Bytes())
	adds := []struct {
		l string
		n float64
	}{{"", 1}, {bacteria, 1}, {bacteroG, 3}, {lachnoF, 1}, {roseb, 1}, {faecali, 3}}
	for i := range adds {
		b := NewBuilder("S1")
		for j := range adds {
			a := adds[(i+j)%len(adds)]
			b.Add(lin(a.l), a.n)
		}
		var again bytes.Buffer
		if err := WriteBIOM(&again, b.Profile(), taxonomy.Genus, meta); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(again.Bytes(), first.Bytes()) {
			t.Fatalf("order %d: the 2.1 file differs", i)
		}
	}
	if !bytes.Contains(first.Bytes(), []byte("1970-01-01T00:00:00")) {
		t.Error("creation-date is not BIOMMeta.Date")
	}
}

// biomDump prints a BIOM table as biom-format's load_table reads it, as
// JSON: table id, type, generated-by, creation date, sample ids and, per
// observation, its id, taxonomy and values (one per sample).
const biomDump = `
import sys, json, biom
t = biom.load_table(sys.argv[1])
samples = list(t.ids(axis="sample"))
obs = [{"id": oid, "taxonomy": list(md["taxonomy"]),
        "values": [float(t.get_value_by_ids(oid, s)) for s in samples]}
       for oid, md in zip(t.ids(axis="observation"), t.metadata(axis="observation"))]
print(json.dumps({"id": t.table_id, "type": t.type, "generated_by": t.generated_by,
                  "date": t.create_date, "samples": samples, "observations": obs}))
`

// biomLoaded is biomDump's output.
type biomLoaded struct {
	ID, Type, Date string
	GeneratedBy    string `json:"generated_by"`
	Samples        []string
	Observations   []struct {
		ID       string
		Taxonomy []string
		Values   []float64
	}
}

// TestBIOM21ValidAndLoads writes single-sample (whole and fractional
// reads) and combined BIOM 2.1 files, has Debian's biom validate-table
// (python3-biom-format) accept them and biom.load_table read them, and
// compares what it reads with the profiles written: ids, taxonomy, every
// value, the table's metadata. Skipped only when the biom command is
// absent.
func TestBIOM21ValidAndLoads(t *testing.T) {
	biomCLI, err := exec.LookPath("biom")
	if err != nil {
		t.Skipf("no biom command (%v); apt-get install -y python3-biom-format to run this check", err)
	}
	meta := BIOMMeta{GeneratedBy: "zonula test", Date: epoch, Format: BIOM21}
	combined := readOK(t, fixture("biom21-taxonomy.biom"), ReadOptions{})
	dir := t.TempDir()
	for _, c := range []struct {
		name string
		ps   []*Profile
		rank taxonomy.Rank
		id   string
	}{
		{"genus", []*Profile{sampleBuilder().Profile()}, taxonomy.Genus, "S1"},
		{"species-fractional", []*Profile{fractionalProfile()}, taxonomy.Species, "S2"},
		{"combined-genus", combined, taxonomy.Genus, "zonula combined table"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var buf bytes.Buffer
			if len(c.ps) == 1 {
				err = WriteBIOM(&buf, c.ps[0], c.rank, meta)
			} else {
				err = WriteCombinedBIOM(&buf, c.ps, c.rank, meta)
			}
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(dir, c.name+".biom")
			if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			out, err := exec.Command(biomCLI, "validate-table", "-i", path).CombinedOutput()
			if err != nil || !strings.Contains(string(out), "is a valid BIOM-formatted file") {
				t.Errorf("biom validate-table -i %s: %v\n%s", path, err, out)
			}
			out, err = exec.Command("/usr/bin/python3", "-c", biomDump, path).CombinedOutput()
			if err != nil {
				t.Fatalf("biom.load_table: %v\n%s", err, out)
			}
			var got biomLoaded
			if err := json.Unmarshal(out, &got); err != nil {
				t.Fatalf("%v: %s", err, out)
			}
			checkLoaded(t, &got, c.ps, c.rank, c.id)
		})
	}
}

// checkLoaded compares a table biom-format read with the rows at rank of
// the profiles written: same samples in order, one observation per taxon
// (its lineage string, or "unclassified") with its prefixed taxonomy, and
// each profile's reads, 0 where it lacks the taxon.
func checkLoaded(t *testing.T, got *biomLoaded, ps []*Profile, rank taxonomy.Rank, id string) {
	t.Helper()
	if got.ID != id || got.Type != "OTU table" || got.GeneratedBy != "zonula test" || got.Date != "1970-01-01T00:00:00" {
		t.Errorf("table id %q, type %q, generated-by %q, date %q", got.ID, got.Type, got.GeneratedBy, got.Date)
	}
	var samples []string
	want := map[string][]float64{} // observation id -> reads per sample
	taxa := map[string][]string{}
	for s, p := range ps {
		samples = append(samples, p.Sample)
		for _, r := range p.AtRank(rank) {
			oid, tax := Unclassified, []string{Unclassified}
			if r.Lineage.Depth() != taxonomy.NoRank {
				oid, tax = r.Lineage.String(), strings.Split(r.Lineage.String(), ";")
			}
			if want[oid] == nil {
				want[oid] = make([]float64, len(ps))
			}
			want[oid][s] = r.Reads
			taxa[oid] = tax
		}
	}
	if !slices.Equal(got.Samples, samples) {
		t.Errorf("samples %q, want %q", got.Samples, samples)
	}
	if len(got.Observations) != len(want) {
		t.Errorf("%d observations, want %d", len(got.Observations), len(want))
	}
	for _, o := range got.Observations {
		if w, ok := want[o.ID]; !ok || !slices.Equal(o.Values, w) || !slices.Equal(o.Taxonomy, taxa[o.ID]) {
			t.Errorf("observation %s: taxonomy %q, values %v; want %q, %v", o.ID, o.Taxonomy, o.Values, taxa[o.ID], w)
		}
	}
}
